// Client plugins end to end: admin-issued tokens, upload with diagnostics, hot swap, isolation
// between clients, faults answered per request while everyone else is served, persistence
// across restarts with corrupt entries skipped.

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parsePnm } from "../../httpd/pnm.ts";
import { firstDifference, testImage } from "./fixtures.ts";
import { ADMIN_TOKEN, createClient, type Harness, putPlugin, startServer } from "./harness.ts";
import { invert } from "./reference.ts";

/** Every file under `dir`, concatenated as text (to look for what the store wrote). */
function readStoreText(dir: string): string {
  let out = "";
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out += statSync(path).isDirectory() ? readStoreText(path) : readFileSync(path, "latin1");
  }
  return out;
}

const NO_LIMITS = { maxWidth: 1e6, maxHeight: 1e6, maxPixels: 1e12 };

const NEGATE = `#include "kplug/image.h"
/* Red and blue swapped, through the library's own invert afterwards. */
int swap_transform(const image *in, image *out, const params *p) {
  (void)p;
  if (in->channels != 3) return IMAGE_EFORMAT;
  for (int y = 0; y < in->height; y++) {
    uint8_t *s = in->pixels + y * in->stride;
    for (int x = 0; x < in->width; x++) {
      uint8_t t = s[3 * x];
      s[3 * x] = s[3 * x + 2];
      s[3 * x + 2] = t;
    }
  }
  *out = *in;
  return IMAGE_OK;
}
`;

const FLAT = (v: number) => `#include "kplug/image.h"
int swap_transform(const image *in, image *out, const params *p) {
  (void)p;
  int rc = image_alloc(out, in->width, in->height, 1);
  if (rc) return rc;
  for (int i = 0; i < in->width * in->height; i++) out->pixels[i] = ${v};
  return IMAGE_OK;
}
`;

const SPIN = `#include "kplug/image.h"
int spin_transform(const image *in, image *out, const params *p) {
  volatile int x = 0;
  for (;;) x++;
  return 0;
}
`;

const WILD = `#include "kplug/image.h"
int wild_transform(const image *in, image *out, const params *p) {
  uint8_t *bad = (uint8_t *)0x7ffffff0;
  bad[100] = 1;
  *out = *in;
  return 0;
}
`;

const LIAR = `#include "kplug/image.h"
int liar_transform(const image *in, image *out, const params *p) {
  *out = *in;
  out->height = in->height * 100000;
  return 0;
}
`;

const BROKEN = `#include "kplug/image.h"
int broken_transform(const image *in, image *out, const params *p) {
  int x = ;
  return undefined_thing;
}
`;

function swapped(img: ReturnType<typeof testImage>) {
  const out = { ...img, data: new Uint8Array(img.data) };
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = y * img.stride + 3 * x;
      out.data[i] = img.data[i + 2];
      out.data[i + 2] = img.data[i];
    }
  return out;
}

describe("client plugins", () => {
  let h: Harness;
  let alice: string;
  let bob: string;
  const root = mkdtempSync(join(tmpdir(), "kplug-clients-"));

  before(async () => {
    h = await startServer({ clientDefaults: { fuel: 20_000_000 } }, root);
    alice = await createClient(h, "alice");
    bob = await createClient(h, "bob");
  });
  after(async () => {
    await h.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test("the admin endpoint needs the admin token", async () => {
    const res = await fetch(`${h.url}/admin/clients/mallory`, {
      method: "PUT",
      headers: { authorization: "Bearer wrong" },
    });
    assert.equal(res.status, 401);
    const none = await fetch(`${h.url}/admin/clients/mallory`, { method: "PUT" });
    assert.equal(none.status, 401);
  });

  test("compile errors come back as 400 with line and column", async () => {
    const res = await putPlugin(h, "alice", alice, "broken", BROKEN);
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error, "compile-error");
    assert.ok(body.diagnostics.length >= 1);
    const first = body.diagnostics[0];
    assert.equal(first.line, 3);
    assert.ok(first.col > 1 && typeof first.message === "string");
  });

  test("POST /compile checks source as a client's work (token)", async () => {
    const headers = { authorization: `Bearer ${alice}` };
    const bad = await (
      await fetch(`${h.url}/compile?client=alice&file=mine.c`, {
        method: "POST",
        body: BROKEN,
        headers,
      })
    ).json();
    assert.equal(bad.ok, false);
    assert.equal(bad.rejected, "compile-error");
    assert.equal(bad.diagnostics[0].file, "mine.c");
    assert.equal(bad.diagnostics[0].line, 3);
    const good = await (
      await fetch(`${h.url}/compile?client=alice`, { method: "POST", body: NEGATE, headers })
    ).json();
    assert.equal(good.ok, true);
    assert.ok(good.exports.some((e: { name: string }) => e.name === "swap_transform"));
  });

  test("POST /compile of <plugin>.c links as Save would: an extern nobody defines is an error at its line", async () => {
    const headers = { authorization: `Bearer ${alice}` };
    // The comment names the symbol first: the place comes from the compiler, not a text search.
    const source = `#include "kplug/image.h"
/* nowhere() is provided by no one */
extern int nowhere(int x);
int lonely_transform(const image *in, image *out, const params *p) {
  *out = *in;
  return nowhere(0);
}
`;
    const body = await (
      await fetch(`${h.url}/compile?client=alice&file=lonely.c`, {
        method: "POST",
        body: source,
        headers,
      })
    ).json();
    assert.equal(body.ok, false);
    assert.equal(body.rejected, "link-error");
    assert.match(body.message, /undefined symbol 'nowhere'/);
    assert.deepEqual(
      body.diagnostics.map((d: { file: string; line: number; col: number }) => [
        d.file,
        d.line,
        d.col,
      ]),
      [["lonely.c", 3, 12]],
    );
    // Save refuses it at the same place.
    const saved = await putPlugin(h, "alice", alice, "lonely", source);
    assert.equal(saved.status, 400);
    const refusal = await saved.json();
    assert.equal(refusal.error, "link-error");
    assert.deepEqual([refusal.diagnostics[0].line, refusal.diagnostics[0].col], [3, 12]);
  });

  test("a plugin without its entry point is refused", async () => {
    const res = await putPlugin(h, "alice", alice, "other", NEGATE);
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, "abi-error");
  });

  test("upload, apply in a chain with library plugins, hot swap, delete", async () => {
    const put = await putPlugin(h, "alice", alice, "swap", NEGATE);
    assert.equal(put.status, 201, await put.clone().text());
    const u = `${h.url}/images/small.ppm?client=alice&plugin=swap,invert`;
    const res = await fetch(u, { headers: { authorization: `Bearer ${alice}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "private, no-cache");
    const img = parsePnm(new Uint8Array(await res.arrayBuffer()), NO_LIMITS);
    assert.equal(firstDifference(img, invert(swapped(testImage(40, 30, 3)))), undefined);

    const list = await (
      await fetch(`${h.url}/clients/alice/plugins`, {
        headers: { authorization: `Bearer ${alice}` },
      })
    ).json();
    assert.deepEqual(
      list.plugins.map((p: { name: string }) => p.name),
      ["swap"],
    );
    assert.ok(list.plugins[0].stats.calls >= 1);

    const swap = await putPlugin(h, "alice", alice, "swap", FLAT(77));
    assert.equal(swap.status, 200);
    const after = await fetch(`${h.url}/images/small.ppm?client=alice&plugin=swap`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    const flat = parsePnm(new Uint8Array(await after.arrayBuffer()), NO_LIMITS);
    assert.equal(flat.channels, 1);
    assert.ok(
      flat.data.every((v) => v === 77),
      "the swapped-in code runs (no stale cache)",
    );

    const source = await (
      await fetch(`${h.url}/clients/alice/plugins/swap`, {
        headers: { authorization: `Bearer ${alice}` },
      })
    ).text();
    assert.equal(source, FLAT(77));
  });

  test("one client can neither see, call nor replace another's plugins", async () => {
    const bobAuth = { authorization: `Bearer ${bob}` };
    assert.equal((await fetch(`${h.url}/clients/alice/plugins`, { headers: bobAuth })).status, 401);
    assert.equal(
      (await fetch(`${h.url}/clients/alice/plugins/swap`, { headers: bobAuth })).status,
      401,
    );
    assert.equal((await putPlugin(h, "alice", bob, "swap", NEGATE)).status, 401);
    assert.equal(
      (await fetch(`${h.url}/images/small.ppm?client=alice&plugin=swap`, { headers: bobAuth }))
        .status,
      401,
    );
    // In bob's own runtime the name does not exist.
    const own = await fetch(`${h.url}/images/small.ppm?client=bob&plugin=swap`, {
      headers: bobAuth,
    });
    assert.equal(own.status, 404);
    await own.arrayBuffer();
    // Nor can anyone reach it without a client.
    const anon = await fetch(`${h.url}/images/small.ppm?plugin=swap`);
    assert.equal(anon.status, 404);
    await anon.arrayBuffer();
    // Library names are reserved.
    assert.equal((await putPlugin(h, "bob", bob, "invert", NEGATE)).status, 409);
  });

  test("a runaway plugin gets 503 fuel-exhausted while others keep being served", async () => {
    assert.equal((await putPlugin(h, "bob", bob, "spin", SPIN)).status, 201);
    assert.equal((await putPlugin(h, "bob", bob, "wild", WILD)).status, 201);
    const auth = { authorization: `Bearer ${bob}` };
    const hostile = Array.from({ length: 6 }, (_, i) =>
      fetch(`${h.url}/images/small.ppm?client=bob&plugin=${i % 2 ? "spin" : "wild"}&a0=${i}`, {
        headers: auth,
      }).then(async (r) => [r.status, await r.json()] as const),
    );
    const normal = Array.from({ length: 30 }, (_, i) =>
      fetch(`${h.url}/images/small.ppm?plugin=invert&brightness=${i}`).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    );
    const [bad, good] = await Promise.all([Promise.all(hostile), Promise.all(normal)]);
    assert.ok(
      good.every((s) => s === 200),
      `normal requests: ${good}`,
    );
    for (const [status, body] of bad) {
      assert.equal(body.error, "plugin-fault");
      if (body.plugin === "spin") {
        assert.equal(status, 503);
        assert.equal(body.fault, "fuel-exhausted");
      } else {
        assert.equal(status, 500);
        assert.equal(body.fault, "out-of-bounds");
        assert.equal(body.function, "wild_transform");
      }
    }
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    assert.match(
      metrics,
      /kplug_plugin_faults_total\{runtime="client:bob",plugin="spin",kind="fuel-exhausted"\} 3/,
    );
    // The faulting runtime itself stays usable.
    const ok = await fetch(`${h.url}/images/small.ppm?client=bob&plugin=invert`, { headers: auth });
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
  });

  test("fuel budgets are per client, and repeated faults quarantine a plugin", async () => {
    const tight = await createClient(h, "tight", { fuel: 1000 });
    const auth = { authorization: `Bearer ${tight}` };
    const res = await fetch(`${h.url}/images/small.ppm?client=tight&plugin=invert`, {
      headers: auth,
    });
    assert.equal(res.status, 503, "1000 units of fuel cannot invert 1200 pixels");
    assert.equal((await res.json()).fault, "fuel-exhausted");
    // Everyone else still has their own budget.
    const other = await fetch(`${h.url}/images/small.ppm?client=alice&plugin=invert`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    assert.equal(other.status, 200);
    await other.arrayBuffer();

    const bobAuth = { authorization: `Bearer ${bob}` };
    const errors: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await fetch(`${h.url}/images/small.ppm?client=bob&plugin=wild&a1=${i}`, {
        headers: bobAuth,
      });
      errors.push((await r.json()).error);
    }
    assert.ok(errors.includes("plugin-fault"));
    assert.equal(errors.at(-1), "plugin-quarantined");
    // Uploading new code lifts the quarantine.
    assert.equal(
      (await putPlugin(h, "bob", bob, "wild", WILD.replace("bad[100] = 1;", ""))).status,
      200,
    );
    const fixed = await fetch(`${h.url}/images/small.ppm?client=bob&plugin=wild`, {
      headers: bobAuth,
    });
    assert.equal(fixed.status, 200);
    await fixed.arrayBuffer();
  });

  test("an output descriptor pointing outside the plugin's memory is refused", async () => {
    assert.equal((await putPlugin(h, "alice", alice, "liar", LIAR)).status, 201);
    const res = await fetch(`${h.url}/images/small.ppm?client=alice&plugin=liar`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    assert.equal(res.status, 500);
    const body = await res.json();
    assert.equal(body.error, "bad-plugin-output");
    assert.equal(body.plugin, "liar");
  });

  test("oversized uploads are refused", async () => {
    const res = await putPlugin(h, "alice", alice, "huge", `/* ${"x".repeat(300 << 10)} */`);
    assert.equal(res.status, 413);
  });

  test("plugins persist in the store and are served after a restart; no token is stored", async () => {
    await h.stop();
    const storeText = readStoreText(join(h.dataDir, "store"));
    assert.ok(storeText.includes("swap_transform"), "the plugin's source is in the store");
    assert.ok(!storeText.includes(alice), "only the token's hash is stored");
    h = await startServer({}, root);
    const res = await fetch(`${h.url}/images/small.ppm?client=alice&plugin=swap`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    assert.equal(res.status, 200);
    const flat = parsePnm(new Uint8Array(await res.arrayBuffer()), NO_LIMITS);
    assert.ok(flat.data.every((v) => v === 77));
    const del = await fetch(`${h.url}/clients/alice/plugins/swap`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${alice}` },
    });
    assert.equal(del.status, 204);
    const gone = await fetch(`${h.url}/images/small.ppm?client=alice&plugin=swap`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    assert.equal(gone.status, 404);
    await gone.arrayBuffer();
    const adminDel = await fetch(`${h.url}/admin/clients/bob`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    assert.equal(adminDel.status, 204);
  });
});
