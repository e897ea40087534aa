// Faults in the server carry their place in the C source: the error JSON has file, line, col,
// function and backtrace (inlined frames marked), and no engine text reaches the client.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient, type Harness, putPlugin, startServer } from "./harness.ts";

const OOB = `#include "kplug/image.h"
static uint8_t pick(const uint8_t *p, int i) {
  return p[i];
}
int oob_transform(const image *in, image *out, const params *p) {
  *out = *in;
  out->pixels[0] = pick(in->pixels, 0x7ffffff0);
  return 0;
}
`;

const SPIN = `#include "kplug/image.h"
int spin_transform(const image *in, image *out, const params *p) {
  int n = 0;
  while (n >= 0) n = (n + 1) & 7;
  *out = *in;
  return 0;
}
`;

describe("fault location over HTTP", { concurrency: false }, () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await startServer({ clientDefaults: { fuel: 2_000_000 } });
    token = await createClient(h, "carol");
    assert.equal((await putPlugin(h, "carol", token, "oob", OOB)).status, 201);
    assert.equal((await putPlugin(h, "carol", token, "spin", SPIN)).status, 201);
  });
  after(() => h.stop());

  const get = async (plugin: string) => {
    const r = await fetch(`${h.url}/images/small.ppm?client=carol&plugin=${plugin}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return [r.status, await r.json()] as const;
  };

  test("an out-of-bounds read in an inlined helper: its line, then the transform's", async () => {
    const [status, body] = await get("oob");
    assert.equal(status, 500);
    assert.equal(body.error, "plugin-fault");
    assert.equal(body.fault, "out-of-bounds");
    assert.equal(body.function, "pick");
    assert.deepEqual([body.file, body.line, body.col], ["oob.c", 3, 10]);
    assert.deepEqual(body.backtrace, [
      { function: "pick", file: "oob.c", line: 3, col: 10, inlined: true, plugin: "oob" },
      { function: "oob_transform", file: "oob.c", line: 7, col: 20, plugin: "oob" },
    ]);
    assert.deepEqual(body.access, { access: "read", size: 1, instruction: "i32.load8_u" });
    assert.match(body.message, /^out-of-bounds read of 1 byte in function 'pick' at oob\.c:3:10 /);
  });

  test("fuel exhausted: 503 at the loop, no engine text", async () => {
    const [status, body] = await get("spin");
    assert.equal(status, 503);
    assert.equal(body.fault, "fuel-exhausted");
    assert.deepEqual(
      [body.function, body.file, body.line, body.col],
      ["spin_transform", "spin.c", 4, 3],
    );
    assert.doesNotMatch(JSON.stringify(body), /unreachable|RuntimeError|wasm-function/);
  });

  test("/metrics: OpenMetrics scrapes get the last fault's place as the counter's exemplar", async () => {
    await get("oob");
    const open = await fetch(`${h.url}/metrics`, {
      headers: { accept: "application/openmetrics-text; version=1.0.0" },
    });
    assert.match(String(open.headers.get("content-type")), /^application\/openmetrics-text/);
    const text = await open.text();
    assert.match(text, /# TYPE kplug_plugin_faults counter\n/);
    assert.match(
      text,
      /kplug_plugin_faults_total\{runtime="client:carol",plugin="oob",kind="out-of-bounds"\} \d+ # \{function="pick",file="oob\.c",line="3",col="10"\} 1 \d+\.\d{3}\n/,
    );
    assert.ok(text.endsWith("# EOF\n"));
    // The classic text format has no exemplars.
    const plain = await (await fetch(`${h.url}/metrics`)).text();
    assert.match(
      plain,
      /kplug_plugin_faults_total\{runtime="client:carol",plugin="oob",kind="out-of-bounds"\} \d+\n/,
    );
    assert.doesNotMatch(plain, / # \{/);
  });
});
