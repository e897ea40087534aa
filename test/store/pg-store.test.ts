// PgStore against a real PostgreSQL server started for this file: the shared contract, two
// nodes on one database seeing each other's changes through subscribe, and a node that keeps
// serving its cache while the database is down and catches up once it is back; a database
// turned read-only refuses writes with StoreReadOnly and nothing changes.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import pg from "pg";
import {
  type Change,
  type PgStoreOptions,
  StoreReadOnly,
  StoreUnavailable,
  sha256Hex,
} from "../../store/index.ts";
import { PgStore } from "../../store/pg-store.ts";
import { TestPostgres } from "../helpers/postgres.ts";
import { compiledFor, sourceFor, storeContract, TOKEN, waitFor } from "./contract.ts";

let server: TestPostgres;
before(async () => {
  server = await TestPostgres.start();
});
after(async () => {
  await server?.stop();
});

const FAST: PgStoreOptions = { backoffMs: 50, maxBackoffMs: 500, pollMs: 0 };

storeContract("PgStore", async () => {
  const url = await server.createDatabase();
  const subject = {
    store: await PgStore.open(url, FAST),
    async reopen() {
      await subject.store.close();
      subject.store = await PgStore.open(url, FAST);
      return subject.store;
    },
  };
  return subject;
});

test("PgStore: the schema is created once and recorded as numbered migrations", async () => {
  const url = await server.createDatabase();
  // Two nodes starting together: one migrates, the other finds it done.
  const [a, b] = await Promise.all([PgStore.open(url, FAST), PgStore.open(url, FAST)]);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query("SELECT id FROM kplug_migrations ORDER BY id");
  await c.end();
  assert.deepEqual(
    rows.map((r) => r.id),
    [1],
  );
  await Promise.all([a.close(), b.close()]);
});

test("PgStore: two nodes on one database see each other's changes through subscribe", async () => {
  const url = await server.createDatabase();
  const a = await PgStore.open(url, FAST);
  const b = await PgStore.open(url, FAST);
  const onA: Change[] = [];
  const onB: Change[] = [];
  a.subscribe((c) => onA.push(c));
  b.subscribe((c) => onB.push(c));

  await a.putClient("acme", { tokenSha256: TOKEN("one"), limits: { fuel: 50_000 } });
  await waitFor(() => b.client("acme") !== undefined);
  assert.deepEqual(b.client("acme")!.limits, { fuel: 50_000 });

  // Upload on A, visible on B with the same version, source and compiled bytes.
  const up = await a.putPlugin("acme", "sepia", sourceFor("sepia"), compiledFor("sepia"));
  await waitFor(() => b.plugin("acme", "sepia")?.version === up.version);
  assert.deepEqual(b.plugin("acme", "sepia")!.compiled?.wasm, compiledFor("sepia").wasm);
  assert.ok(onB.some((c) => c.kind === "plugin-put" && c.version === up.version));

  // Delete on B, gone on A.
  assert.equal(await b.deletePlugin("acme", "sepia"), true);
  await waitFor(() => a.plugin("acme", "sepia") === undefined);
  assert.ok(onA.some((c) => c.kind === "plugin-delete" && c.name === "sepia"));

  // Token rotated on A: B refuses the old token and accepts the new one.
  await a.rotateToken("acme", TOKEN("two"));
  await waitFor(() => b.client("acme")?.tokenSha256 === TOKEN("two"));
  assert.notEqual(b.client("acme")!.tokenSha256, sha256Hex("token-one"));

  // Concurrent uploads to one name from both nodes: both end on the last acknowledged one.
  let last = { version: 0, source: "" };
  await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const rs = await Promise.all([
        a.putPlugin("acme", "race", sourceFor(`a${i}`), null),
        b.putPlugin("acme", "race", sourceFor(`b${i}`), null),
      ]);
      for (const r of rs) if (r.version > last.version) last = r;
    }),
  );
  await waitFor(() => a.version === b.version && a.version >= last.version);
  assert.equal(a.plugin("acme", "race")?.source, last.source);
  assert.equal(b.plugin("acme", "race")?.source, last.source);

  // Each node saw its changes in increasing version order, ending on the same version (a
  // node that fell behind during the race may see only the latest upload of "race").
  for (const seen of [onA, onB]) {
    assert.ok(seen.every((c, k) => k === 0 || c.version > seen[k - 1]!.version));
    assert.equal(seen.at(-1)?.version, last.version);
  }
  await Promise.all([a.close(), b.close()]);
});

test("PgStore: with the database down a node serves its cache, then catches up", async () => {
  const url = await server.createDatabase();
  const logs: string[] = [];
  const a = await PgStore.open(url, { ...FAST, log: (m) => logs.push(m) });
  const b = await PgStore.open(url, FAST);
  await a.putClient("steady", { tokenSha256: TOKEN("steady") });
  const kept = await a.putPlugin("steady", "kept", sourceFor("kept"), compiledFor("kept"));
  await waitFor(() => b.plugin("steady", "kept") !== undefined);

  await server.pause();
  try {
    await waitFor(() => !a.connected);
    // Reads keep working from the cache; writes fail with a typed error and change nothing.
    assert.equal(a.plugin("steady", "kept")?.version, kept.version);
    assert.equal(a.client("steady")?.tokenSha256, TOKEN("steady"));
    await assert.rejects(a.putPlugin("steady", "new", sourceFor("new"), null), StoreUnavailable);
    assert.equal(a.plugin("steady", "new"), undefined);
  } finally {
    await server.resume();
  }
  // B writes as soon as the database is back, probably before A has reconnected: A must
  // still get these versions (read on reconnect if the notification was missed).
  await b.putPlugin("steady", "after", sourceFor("after"), null);
  await b.deletePlugin("steady", "kept");
  await waitFor(
    () => a.plugin("steady", "after") !== undefined && a.plugin("steady", "kept") === undefined,
  );
  assert.ok(a.connected);
  assert.equal(a.version, b.version);
  assert.ok(logs.some((m) => m.includes("lost the database connection")));
  await Promise.all([a.close(), b.close()]);
});

test("PgStore: a read-only database: writes fail with StoreReadOnly and change nothing; a new node is refused", async () => {
  const url = await server.createDatabase();
  const store = await PgStore.open(url, FAST);
  await store.putClient("ro", { tokenSha256: TOKEN("ro") });
  const kept = await store.putPlugin("ro", "keep", sourceFor("keep"), compiledFor("keep"));
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  // As a failover to a standby would: every session, existing ones included, turns read-only.
  const readOnly = async (on: boolean) => {
    await admin.query(
      on
        ? "ALTER SYSTEM SET default_transaction_read_only = on"
        : "ALTER SYSTEM RESET default_transaction_read_only",
    );
    await admin.query("SELECT pg_reload_conf()");
    await new Promise((r) => setTimeout(r, 300));
  };
  try {
    await readOnly(true);
    const version = store.version;
    for (const r of await Promise.allSettled([
      store.putPlugin("ro", "keep", sourceFor("changed"), null),
      store.putPlugin("ro", "fresh", sourceFor("fresh"), null),
      store.deletePlugin("ro", "keep"),
      store.rotateToken("ro", TOKEN("other")),
      store.deleteClient("ro"),
      store.putClient("newcomer", { tokenSha256: TOKEN("n") }),
      store.cacheCompiled("ro", "keep", kept.version, compiledFor("other")),
    ])) {
      assert.equal(r.status, "rejected");
      assert.ok(r.reason instanceof StoreReadOnly, String(r.reason));
    }
    assert.equal(store.version, version);
    assert.equal(store.plugin("ro", "keep")?.source, sourceFor("keep"));
    assert.equal(store.plugin("ro", "fresh"), undefined);
    assert.equal(store.client("ro")?.tokenSha256, TOKEN("ro"));
    // A node starting now cannot even check the schema: a clear, typed error.
    const err = await PgStore.open(url, FAST).catch((e) => e);
    assert.ok(err instanceof StoreReadOnly, String(err));
  } finally {
    await readOnly(false);
    await admin.end();
  }
  // Writable again: the store works, and a reopen reads what memory says.
  await store.putPlugin("ro", "keep", sourceFor("after"), null);
  await store.close();
  const again = await PgStore.open(url, FAST);
  assert.equal(again.plugin("ro", "keep")?.source, sourceFor("after"));
  assert.deepEqual(
    again.plugins("ro").map((p) => p.name),
    ["keep"],
  );
  await again.close();
});
