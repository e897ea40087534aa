// The playground's routes without a browser: tries of unsaved code (diagnostics, faults,
// results), the live runtime report, the opt-in service-time header and the bundled assets.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { INVERT_SOURCE as INVERT } from "../httpd/fixtures.ts";
import {
  ADMIN_TOKEN,
  createClient,
  type Harness,
  putPlugin,
  startServer,
} from "../httpd/harness.ts";

const LOOP = `#include "kplug/image.h"
int mine_transform(const image *in, image *out, const params *p) {
  (void)p;
  while (1) {}
  *out = *in;
  return IMAGE_OK;
}
`;

const UNLINKED = `#include "kplug/image.h"
int mystery(int v);
int mine_transform(const image *in, image *out, const params *p) {
  (void)p;
  in->pixels[0] = (uint8_t)mystery(in->pixels[0]);
  *out = *in;
  return IMAGE_OK;
}
`;

const CRASH = `#include "kplug/image.h"
int mine_transform(const image *in, image *out, const params *p) {
  (void)p;
  in->pixels[0x7ffffff0] = 1;
  *out = *in;
  return IMAGE_OK;
}
`;

describe("playground routes", () => {
  let h: Harness;
  let token: string;
  const auth = () => ({ authorization: `Bearer ${token}` });
  const tryRun = (source: string, query = "name=mine", image = "small.ppm") =>
    fetch(`${h.url}/clients/alice/try/${image}?${query}`, {
      method: "POST",
      headers: auth(),
      body: source,
    });

  before(async () => {
    h = await startServer();
    token = await createClient(h, "alice", { fuel: 2_000_000 });
  });
  after(() => h.stop());

  test("a try runs unsaved code on the image and reports its phases", async () => {
    const res = await tryRun(INVERT);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/x-portable-pixmap");
    assert.match(res.headers.get("server-timing") ?? "", /compile;dur=.*link;dur=.*transcode;dur=/);
    assert.ok(Number(res.headers.get("x-kplug-fuel")) > 0);
    const body = new Uint8Array(await res.arrayBuffer());
    const original = new Uint8Array(await (await fetch(`${h.url}/images/small.ppm`)).arrayBuffer());
    assert.equal(body.length, original.length);
    const header = body.length - 40 * 30 * 3;
    for (let i = header; i < body.length; i++) assert.equal(body[i], 255 - original[i]);
    // Nothing was saved: the client's runtime has no plugin 'mine'.
    const list = await (await fetch(`${h.url}/clients/alice/plugins`, { headers: auth() })).json();
    assert.deepEqual(list.plugins, []);
  });

  test("a try can sit inside a chain of library plugins", async () => {
    const res = await tryRun(INVERT, "name=mine&plugin=grayscale,mine&format=pgm");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-image-size"), "40x30");
    assert.equal(res.headers.get("content-type"), "image/x-portable-graymap");
  });

  test("compile errors come back with their line and column", async () => {
    const res = await tryRun(INVERT.replace("int row", "int row = oops; int r2"));
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error, "compile-error");
    const d = body.diagnostics.find((x: { message: string }) => /oops/.test(x.message));
    assert.ok(d, JSON.stringify(body.diagnostics));
    assert.equal(d.line, 4);
    assert.equal(d.file, "mine.c");
  });

  test("a missing entry point and a library name are refused plainly", async () => {
    let res = await tryRun(INVERT, "name=other");
    assert.equal(res.status, 400);
    assert.match((await res.json()).diagnostics[0].message, /other_transform/);
    res = await tryRun(INVERT, "name=grayscale");
    assert.equal(res.status, 400);
    assert.match((await res.json()).message, /library plugin/);
  });

  test("a try and an upload of code that does not link are refused alike", async () => {
    const tried = await tryRun(UNLINKED);
    const uploaded = await putPlugin(h, "alice", token, "mine", UNLINKED);
    assert.equal(tried.status, 400);
    assert.equal(uploaded.status, 400);
    const a = await tried.json();
    const b = await uploaded.json();
    assert.deepEqual(a, b);
    assert.equal(a.error, "link-error");
    // Placed where the unknown function is first named, not at the top of the file.
    assert.deepEqual([a.diagnostics[0].line, a.diagnostics[0].file], [2, "mine.c"]);
    assert.match(a.diagnostics[0].message, /mystery/);
  });

  test("a missing entry point is the same abi-error for a try and an upload", async () => {
    const tried = await tryRun(INVERT, "name=other");
    const uploaded = await putPlugin(h, "alice", token, "other", INVERT);
    const a = await tried.json();
    assert.equal(a.error, "abi-error");
    assert.deepEqual(a, await uploaded.json());
    assert.equal(a.diagnostics.at(-1).line, 2);
  });

  test("tries need the client's own token", async () => {
    const res = await fetch(`${h.url}/clients/alice/try/small.ppm?name=mine`, {
      method: "POST",
      headers: { authorization: "Bearer wrong-token" },
      body: INVERT,
    });
    assert.equal(res.status, 401);
  });

  test("a runaway try stops at the fuel budget, a crashing one names its fault", async () => {
    const loop = await tryRun(LOOP);
    assert.equal(loop.status, 503);
    const lb = await loop.json();
    assert.equal(lb.fault, "fuel-exhausted");
    const crash = await tryRun(CRASH);
    assert.equal(crash.status, 500);
    assert.equal((await crash.json()).fault, "out-of-bounds");
    // The playground runtime is fine afterwards, and so is the server.
    assert.equal((await tryRun(INVERT)).status, 200);
    assert.equal((await fetch(`${h.url}/images/small.ppm?plugin=grayscale`)).status, 200);
  });

  test("the runtime report counts calls, fuel, faults and times", async () => {
    const up = await putPlugin(h, "alice", token, "mine", INVERT);
    assert.equal(up.status, 201);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${h.url}/images/small.ppm?client=alice&plugin=mine&a0=${i}`, {
        headers: auth(),
      });
      assert.equal(res.status, 200);
    }
    const res = await fetch(`${h.url}/clients/alice/runtime`, { headers: auth() });
    assert.equal(res.status, 200);
    const r = await res.json();
    assert.equal(r.runtime, "client:alice");
    const mine = r.plugins.find((p: { name: string }) => p.name === "mine");
    assert.equal(mine.origin, "client");
    assert.equal(mine.calls, 3);
    assert.ok(mine.fuelUsed > 0 && mine.avgMs > 0);
    assert.equal(r.totals.requests, 3);
    assert.equal(r.tries.faults["fuel-exhausted"], 1);
    assert.equal(r.tries.faults["out-of-bounds"], 1);
    const other = await fetch(`${h.url}/clients/alice/runtime`);
    assert.equal(other.status, 401);
  });

  test("a deleted client's playground goes away; a new client of that name starts afresh", async () => {
    let bob = await createClient(h, "bob");
    const res = await fetch(`${h.url}/clients/bob/try/small.ppm?name=mine`, {
      method: "POST",
      headers: { authorization: `Bearer ${bob}` },
      body: INVERT,
    });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.equal(
      (await putPlugin(h, "bob", bob, "kept", INVERT.replace("mine_", "kept_"))).status,
      201,
    );
    const del = await fetch(`${h.url}/admin/clients/bob`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(del.status, 204);
    assert.equal((await tryRun(INVERT)).status, 200);
    bob = await createClient(h, "bob");
    const gone = await fetch(`${h.url}/images/small.ppm?client=bob&plugin=kept`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    assert.equal(gone.status, 404, "the old client's plugins went with it");
    const report = await (
      await fetch(`${h.url}/clients/bob/runtime`, { headers: { authorization: `Bearer ${bob}` } })
    ).json();
    assert.equal(report.tries, undefined, "the new client's ledger starts empty");
  });

  test("compile with wat=1 returns the module's text linked to the source", async () => {
    const res = await fetch(`${h.url}/compile?client=alice&file=mine.c&wat=1`, {
      method: "POST",
      headers: auth(),
      body: INVERT,
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { ok: boolean; wat: string; lines: [number, number][] };
    assert.ok(body.ok);
    const wat = body.wat.split("\n");
    assert.match(body.wat, /^\(module/m);
    // The function's WAT header is linked to the line that defines it in C.
    const header = wat.findIndex((l) => l.includes("(func $mine_transform")) + 1;
    const defined = INVERT.split("\n").findIndex((l) => l.includes("mine_transform(")) + 1;
    assert.ok(header > 0 && defined > 0);
    assert.ok(
      body.lines.some(([w, s]) => w === header && s === defined),
      JSON.stringify(body.lines),
    );
    // Without wat=1 the report stays small.
    const plain = await fetch(`${h.url}/compile?client=alice&file=mine.c`, {
      method: "POST",
      headers: auth(),
      body: INVERT,
    });
    assert.equal(((await plain.json()) as { wat?: string }).wat, undefined);
  });

  test("the library listing carries each plugin's declared parameters", async () => {
    const res = await fetch(`${h.url}/plugins`);
    const { plugins } = (await res.json()) as {
      plugins: { name: string; params: { name: string; min?: number; max?: number }[] }[];
    };
    const byName = new Map(plugins.map((p) => [p.name, p.params]));
    assert.deepEqual(
      byName.get("threshold")?.map((p) => [p.name, p.min, p.max]),
      [["threshold", 0, 256]],
    );
    assert.deepEqual(
      byName.get("crop")?.map((p) => p.name),
      ["x", "y", "w", "h"],
    );
    assert.deepEqual(byName.get("invert"), []);
  });

  test("X-Kplug-Time is stamped only when asked for", async () => {
    const plain = await fetch(`${h.url}/images/small.ppm`);
    assert.equal(plain.headers.get("x-kplug-time"), null);
    const timed = await fetch(`${h.url}/images/small.ppm`, { headers: { "x-kplug-timing": "1" } });
    assert.ok(Number(timed.headers.get("x-kplug-time")) >= 0);
    assert.notEqual(timed.headers.get("x-kplug-time"), null);
  });

  test("the page and its bundled assets are served by kplug itself", async () => {
    const page = await fetch(`${h.url}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<script type="module" src="\/assets\/playground.js">/);
    const js = await fetch(`${h.url}/assets/playground.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
    const text = await js.text();
    assert.ok(text.length > 100_000 && !/\bimport\s*["(]/.test(text.slice(0, 200)));
    const again = await fetch(`${h.url}/assets/playground.js`, {
      headers: { "if-none-match": js.headers.get("etag")! },
    });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${h.url}/assets/..%2Fserver.ts`)).status, 404);
    assert.equal((await fetch(`${h.url}/assets/server.ts`)).status, 404);
  });
});
