// Faults in the server carry their place in the C source: the error JSON has file, line, col,
// function and backtrace (inlined frames marked), and no engine text reaches the client. An
// out-of-bounds access carries its address, found by replaying the chain with the bounds probe
// (the plugins print the pointer they use to their log: the address the report must give),
// and a fault whose replay starts from other plugin state says the address is unknown.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient, type Harness, putPlugin, startServer } from "./harness.ts";

const OOB = `#include <stdio.h>
#include "kplug/image.h"
static uint8_t pick(const uint8_t *p, int i) {
  return p[i];
}
int oob_transform(const image *in, image *out, const params *p) {
  *out = *in;
  printf("oob %p\\n", (void *)(in->pixels + 0x7ffffff0));
  out->pixels[0] = pick(in->pixels, 0x7ffffff0);
  return 0;
}
`;

/** The comparator qsort (the kernel's) calls reads through a pointer below 0. */
const SORT = `#include <stdio.h>
#include <stdlib.h>
#include "kplug/image.h"
static const int *bad;
static int cmp(const void *a, const void *b) {
  return *bad - *(const int *)b;
}
int sort_transform(const image *in, image *out, const params *p) {
  int v[3] = {3, 1, 2};
  bad = (const int *)(in->pixels - 0x10000000 * 4);
  printf("sort %p\\n", (void *)bad);
  qsort(v, 3, sizeof v[0], cmp);
  *out = *in;
  return 0;
}
`;

/** Faults on every call, at an address that depends on how many calls came before. */
const STATEFUL = `#include <stdio.h>
#include "kplug/image.h"
static int calls;
int stateful_transform(const image *in, image *out, const params *p) {
  calls++;
  *out = *in;
  printf("stateful %p\\n", (void *)(in->pixels + 0x40000000 + calls * 64));
  out->pixels[0] = in->pixels[0x40000000 + calls * 64];
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
    assert.equal((await putPlugin(h, "carol", token, "sort", SORT)).status, 201);
    assert.equal((await putPlugin(h, "carol", token, "stateful", STATEFUL)).status, 201);
  });
  after(() => h.stop());

  const get = async (plugin: string) => {
    const r = await fetch(`${h.url}/images/small.ppm?client=carol&plugin=${plugin}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return [r.status, await r.json()] as const;
  };

  /** The pointers `tag` lines of carol's log printed, in order. */
  const printed = async (tag: string) => {
    const r = await fetch(`${h.url}/clients/carol/logs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { entries } = (await r.json()) as { entries: { text: string }[] };
    return entries
      .map((e) => new RegExp(`^${tag} (0x[0-9a-f]+)`).exec(e.text)?.[1])
      .filter((p) => p !== undefined);
  };
  const hex = (n: number) => `0x${n.toString(16)}`;

  test("an out-of-bounds read in an inlined helper: its address, its line, then the transform's", async () => {
    const [status, body] = await get("oob");
    assert.equal(status, 500);
    assert.equal(body.error, "plugin-fault");
    assert.equal(body.fault, "out-of-bounds");
    assert.equal(body.function, "pick");
    assert.deepEqual([body.file, body.line, body.col], ["oob.c", 4, 10]);
    assert.deepEqual(body.backtrace, [
      { function: "pick", file: "oob.c", line: 4, col: 10, inlined: true, plugin: "oob" },
      { function: "oob_transform", file: "oob.c", line: 9, col: 20, plugin: "oob" },
    ]);
    // The replay printed nothing: one line, the first run's.
    const pointers = await printed("oob");
    assert.equal(pointers.length, 1);
    assert.deepEqual(body.access, {
      access: "read",
      size: 1,
      instruction: "i32.load8_u",
      address: Number(pointers[0]),
    });
    assert.match(
      body.message,
      new RegExp(
        `^out-of-bounds read of 1 byte at ${pointers[0]} in function 'pick' at oob\\.c:4:10 `,
      ),
    );
  });

  test("an out-of-bounds read in a comparator qsort called: its address", async () => {
    const [status, body] = await get("sort");
    assert.equal(status, 500);
    assert.equal(body.fault, "out-of-bounds");
    assert.deepEqual(
      body.backtrace.map((f: { function: string }) => f.function),
      ["cmp", "qsort", "sort_transform"],
    );
    const [bad] = await printed("sort");
    assert.equal(hex(body.access.address), bad);
    assert.deepEqual([body.access.access, body.access.size], ["read", 4]);
  });

  test("state kept across requests: the replay starts elsewhere, the address is unknown", async () => {
    // The first request runs on a runtime as fresh as its replica: the address is known.
    const [, first] = await get("stateful");
    assert.equal(first.fault, "out-of-bounds");
    const [, second] = await get("stateful");
    assert.equal(second.fault, "out-of-bounds");
    const pointers = await printed("stateful");
    assert.equal(pointers.length, 2);
    assert.equal(hex(first.access.address), pointers[0]);
    // calls is 2 in the client's runtime, 1 in the replica: never the replica's address.
    assert.equal(second.access.address, undefined);
    assert.match(second.message, /^out-of-bounds read of 1 byte at an unknown address /);
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
      /kplug_plugin_faults_total\{runtime="client:carol",plugin="oob",kind="out-of-bounds"\} \d+ # \{function="pick",file="oob\.c",line="4",col="10"\} 1 \d+\.\d{3}\n/,
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
