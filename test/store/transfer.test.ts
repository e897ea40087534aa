// openStore picks the store from its argument; exportStore/importStore move everything from
// a FileStore into PostgreSQL and back, the bytes unchanged.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  exportStore,
  FileStore,
  InvalidRecord,
  importStore,
  openStore,
  type PluginStore,
} from "../../store/index.ts";
import { PgStore } from "../../store/pg-store.ts";
import { TestPostgres } from "../helpers/postgres.ts";
import { compiledFor, sourceFor, TOKEN } from "./contract.ts";

let server: TestPostgres;
const dirs: string[] = [];
before(async () => {
  server = await TestPostgres.start();
});
after(async () => {
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "kplug-transfer-"));
  dirs.push(d);
  return d;
};

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

/** The contents as data, without versions and dates (the destination assigns its own). */
async function contents(store: PluginStore) {
  const out: unknown[] = [];
  for await (const c of store.clients()) {
    out.push([c.id, c.tokenSha256, c.limits]);
    for (const p of store.plugins(c.id).sort((a, b) => a.name.localeCompare(b.name)))
      out.push([p.name, p.source, p.compiled && { ...p.compiled, wasm: [...p.compiled.wasm] }]);
  }
  return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

test("openStore: a path is a FileStore, a postgres:// or postgresql:// URL a PgStore", async () => {
  const file = await openStore(tempDir());
  assert.ok(file instanceof FileStore);
  await file.close();
  const url = await server.createDatabase();
  for (const u of [url, url.replace("postgres://", "postgresql://")]) {
    const pg = await openStore(u, { pollMs: 0 });
    assert.ok(pg instanceof PgStore);
    await pg.close();
  }
});

test("export from a FileStore, import into PostgreSQL and back: same clients and plugins", async () => {
  const file = await FileStore.open(tempDir());
  for (let i = 0; i < 5; i++) {
    await file.putClient(`c${i}`, {
      tokenSha256: TOKEN(`c${i}`),
      limits: { fuel: 1000 * (i + 1), memory: 1 << 20 },
    });
    for (let j = 0; j <= i; j++) {
      const tag = `c${i}p${j}`;
      await file.putPlugin(`c${i}`, `p${j}`, sourceFor(tag), j % 2 ? null : compiledFor(tag));
    }
  }
  const lines = await collect(exportStore(file));
  assert.equal(lines.length, 1 + 5 + 15);
  const pg = await PgStore.open(await server.createDatabase(), { pollMs: 0 });
  assert.deepEqual(await importStore(pg, lines), { clients: 5, plugins: 15 });
  assert.deepEqual(await contents(pg), await contents(file));

  const back = await FileStore.open(tempDir());
  await importStore(back, exportStore(pg));
  assert.deepEqual(await contents(back), await contents(file));
  await Promise.all([file.close(), pg.close(), back.close()]);
});

test("import refuses malformed input with InvalidRecord naming the line", async () => {
  const store = await FileStore.open(tempDir());
  await assert.rejects(importStore(store, ["{}"]), /line 1: not a kplug store export/);
  const header = JSON.stringify({ type: "kplug-store-export", format: 1 });
  await assert.rejects(importStore(store, [header, "not json"]), InvalidRecord);
  await assert.rejects(
    importStore(store, [
      header,
      JSON.stringify({ type: "client", id: "../etc", tokenSha256: "00" }),
    ]),
    /line 2: client ids/,
  );
  await assert.rejects(importStore(store, []), InvalidRecord);
  for await (const _ of store.clients()) assert.fail("nothing may have been imported");
  await store.close();
});
