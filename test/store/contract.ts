// The behaviour every PluginStore must have, run against FileStore and PgStore alike: no lost
// update under concurrent uploads, deletes that stay deleted, ids that never resurrect old
// data, If-Match, history and an ordered change feed. `reopen` must read what the backing
// storage holds (a fresh store object), so memory is checked against durable state.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Change,
  type CompiledPlugin,
  type PluginStore,
  PreconditionFailed,
  sha256Hex,
  UnknownClient,
} from "../../store/index.ts";

export interface Subject {
  store: PluginStore;
  /** Closes `store` and opens a new one on the same storage. */
  reopen(): Promise<PluginStore>;
}

export const TOKEN = (s: string) => sha256Hex(`token-${s}`);

export function compiledFor(text: string): CompiledPlugin {
  return {
    wasm: new Uint8Array(Buffer.from(`\0asm\x01\0\0\0${text}`, "latin1")),
    compilerVersion: "kplug-cc test",
    exports: [{ name: "p_transform", signature: "int (const image *, image *, const params *)" }],
    imports: [
      { name: "invert_transform", signature: "int (const image *, image *, const params *)" },
    ],
  };
}

export const sourceFor = (tag: string) => `/* ${tag} */ int p_transform(void) { return 0; }\n`;

export function storeContract(name: string, open: () => Promise<Subject>): void {
  test(`${name}: concurrent uploads to one name: memory and a reopen hold the last acknowledged`, async () => {
    let { store, reopen } = await open();
    await store.putClient("race", { tokenSha256: TOKEN("race") });
    // As many as the measurement: 120 pairs of concurrent uploads to one name.
    const PAIRS = 120;
    const expected = new Map<string, { version: number; source: string; tag: string }>();
    await Promise.all(
      Array.from({ length: PAIRS }, async (_, i) => {
        const name = `p${i % 8}`;
        const results = await Promise.all(
          ["a", "b"].map(async (side) => {
            const tag = `${i}${side}`;
            const r = await store.putPlugin("race", name, sourceFor(tag), compiledFor(tag));
            assert.equal(r.source, sourceFor(tag));
            return { ...r, tag };
          }),
        );
        for (const r of results) {
          const seen = expected.get(name);
          if (!seen || r.version > seen.version)
            expected.set(name, { version: r.version, source: r.source, tag: r.tag });
        }
      }),
    );
    const check = (s: PluginStore, when: string) => {
      for (const [n, want] of expected) {
        const got = s.plugin("race", n);
        assert.equal(got?.version, want.version, `${when}: ${n} version`);
        assert.equal(got?.source, want.source, `${when}: ${n} source`);
        assert.deepEqual(got?.compiled?.wasm, compiledFor(want.tag).wasm, `${when}: ${n} wasm`);
      }
      assert.equal(s.plugins("race").length, expected.size, when);
    };
    check(store, "memory");
    store = await reopen();
    check(store, "after reopen");
    // The history keeps the versions each upload replaced, newest first.
    const h = store.plugin("race", "p0")!.history;
    assert.ok(h.length > 0);
    assert.ok(h.every((e, i) => i === 0 || e.version < h[i - 1]!.version));
    assert.ok(h[0]!.version < store.plugin("race", "p0")!.version);
    await store.close();
  });

  test(`${name}: If-Match: of two uploads with the same version, one wins, one is PreconditionFailed`, async () => {
    let { store, reopen } = await open();
    await store.putClient("cond", { tokenSha256: TOKEN("cond") });
    const first = await store.putPlugin("cond", "blur", sourceFor("v1"), null);
    for (let round = 0; round < 10; round++) {
      const current = store.plugin("cond", "blur")!.version;
      const outcomes = await Promise.allSettled(
        ["x", "y"].map((side) =>
          store.putPlugin("cond", "blur", sourceFor(`${round}${side}`), null, { ifMatch: current }),
        ),
      );
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.filter((o) => o.status === "rejected");
      assert.equal(won.length, 1, `round ${round}`);
      assert.ok((lost[0] as PromiseRejectedResult).reason instanceof PreconditionFailed);
      assert.equal(
        store.plugin("cond", "blur")!.source,
        (won[0] as PromiseFulfilledResult<{ source: string }>).value.source,
      );
    }
    await assert.rejects(
      store.putPlugin("cond", "other", "x", null, { ifMatch: first.version }),
      PreconditionFailed,
    );
    await assert.rejects(
      store.deletePlugin("cond", "blur", { ifMatch: first.version }),
      PreconditionFailed,
    );
    const last = store.plugin("cond", "blur")!;
    store = await reopen();
    assert.equal(store.plugin("cond", "blur")!.version, last.version);
    assert.equal(store.plugin("cond", "other"), undefined);
    await store.close();
  });

  test(`${name}: a DELETE after a PUT stays deleted across a reopen`, async () => {
    let { store, reopen } = await open();
    await store.putClient("del", { tokenSha256: TOKEN("del") });
    // 120 deletes each racing the upload it follows, as in the measurement.
    const names = Array.from({ length: 120 }, (_, i) => `gone${i}`);
    const deleted = await Promise.all(
      names.map(async (n) => {
        const put = store.putPlugin("del", n, sourceFor(n), compiledFor(n));
        const del = store.deletePlugin("del", n);
        await put;
        return del;
      }),
    );
    assert.ok(deleted.every((d) => d === true));
    await store.putPlugin("del", "kept", sourceFor("kept"), null);
    assert.deepEqual(
      store.plugins("del").map((p) => p.name),
      ["kept"],
    );
    assert.equal(await store.deletePlugin("del", "gone0"), false);
    store = await reopen();
    assert.deepEqual(
      store.plugins("del").map((p) => p.name),
      ["kept"],
    );
    await store.close();
  });

  test(`${name}: a deleted then re-created client id starts empty, with a new generation`, async () => {
    let { store, reopen } = await open();
    const first = await store.putClient("tenant", {
      tokenSha256: TOKEN("old"),
      limits: { fuel: 5000 },
    });
    await store.putPlugin("tenant", "secret", sourceFor("secret"), compiledFor("secret"));
    assert.equal(await store.deleteClient("tenant"), true);
    assert.equal(store.client("tenant"), undefined);
    assert.deepEqual(store.plugins("tenant"), []);
    await assert.rejects(store.putPlugin("tenant", "late", "x", null), UnknownClient);
    await assert.rejects(store.rotateToken("tenant", TOKEN("x")), UnknownClient);
    const second = await store.putClient("tenant", { tokenSha256: TOKEN("new") });
    assert.ok(second.generation > first.generation);
    assert.deepEqual(second.limits, {});
    assert.deepEqual(store.plugins("tenant"), []);
    store = await reopen();
    assert.equal(store.client("tenant")?.tokenSha256, TOKEN("new"));
    assert.equal(store.client("tenant")?.generation, second.generation);
    assert.deepEqual(store.plugins("tenant"), []);
    assert.equal(await store.deleteClient("nobody-here"), false);
    await store.close();
  });

  test(`${name}: cacheCompiled replaces a version's module in place (same version, no change fed)`, async () => {
    let { store, reopen } = await open();
    await store.putClient("cache", { tokenSha256: TOKEN("cache") });
    const put = await store.putPlugin("cache", "tone", sourceFor("tone"), null);
    const seen: Change[] = [];
    const unsubscribe = store.subscribe((c) => seen.push(c));
    const before = store.version;
    const newer = { ...compiledFor("recompiled"), compilerVersion: "kplug-cc newer" };
    assert.equal(await store.cacheCompiled("cache", "tone", put.version, newer), true);
    const got = store.plugin("cache", "tone")!;
    assert.equal(got.version, put.version);
    assert.equal(got.source, put.source);
    assert.deepEqual(got.history, put.history);
    assert.equal(got.compiled?.compilerVersion, "kplug-cc newer");
    assert.deepEqual(got.compiled?.wasm, newer.wasm);
    assert.equal(store.version, before, "no new store version");
    // A module for a version that is no longer current changes nothing.
    const second = await store.putPlugin("cache", "tone", sourceFor("tone2"), null);
    assert.equal(await store.cacheCompiled("cache", "tone", put.version, newer), false);
    assert.equal(store.plugin("cache", "tone")?.compiled, null);
    assert.equal(await store.cacheCompiled("cache", "none", second.version, newer), false);
    await store.deletePlugin("cache", "tone");
    assert.equal(await store.cacheCompiled("cache", "tone", second.version, newer), false);
    const kept = await store.putPlugin("cache", "kept", sourceFor("kept"), null);
    assert.equal(await store.cacheCompiled("cache", "kept", kept.version, newer), true);
    unsubscribe();
    assert.deepEqual(
      seen.map((c) => c.kind),
      ["plugin-put", "plugin-delete", "plugin-put"],
      "only the uploads and the delete are changes",
    );
    store = await reopen();
    const durable = store.plugin("cache", "kept")!;
    assert.equal(durable.version, kept.version);
    assert.deepEqual(durable.compiled?.wasm, newer.wasm);
    assert.equal(store.plugin("cache", "tone"), undefined);
    await store.close();
  });

  test(`${name}: subscribers see every change in version order; changesSince agrees`, async () => {
    const { store } = await open();
    const start = store.version;
    const seen: Change[] = [];
    const unsubscribe = store.subscribe((c) => seen.push(c));
    await store.putClient("feed", {
      tokenSha256: TOKEN("feed"),
      limits: { fuel: 10_000, rate: 5 },
    });
    await store.putClient("feed2", { tokenSha256: TOKEN("feed2") });
    await Promise.all([
      store.putPlugin("feed", "a", sourceFor("a"), null),
      store.putPlugin("feed2", "b", sourceFor("b"), null),
    ]);
    await store.putPlugin("feed", "a", sourceFor("a2"), null);
    await store.rotateToken("feed", TOKEN("feed-rotated"));
    await store.deletePlugin("feed2", "b");
    await store.deleteClient("feed2");
    await waitFor(() => seen.length >= 8);
    unsubscribe();
    assert.deepEqual(
      seen.map((c) => c.kind),
      [
        "client-put",
        "client-put",
        "plugin-put",
        "plugin-put",
        "plugin-put",
        "client-put",
        "plugin-delete",
        "client-delete",
      ],
      "kinds",
    );
    assert.ok(
      seen.every((c, i) => i === 0 || c.version > seen[i - 1]!.version),
      "increasing",
    );
    assert.ok(seen[0]!.version > start);
    const since = await store.changesSince(start);
    // Compacted: the latest change per key, in order; feed2 is only its tombstone.
    assert.deepEqual(
      since.map((c) => c.kind),
      ["plugin-put", "client-put", "client-delete"],
    );
    assert.ok(since.every((c, i) => i === 0 || c.version > since[i - 1]!.version));
    await store.close();
  });
}

export async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
