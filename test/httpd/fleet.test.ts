// Two server nodes on one PostgreSQL store (a real server, test/helpers/postgres.ts), in one
// process on two ports: what one node changes, the other applies from the change feed; the
// database going away leaves both serving what they have, and they catch up when it returns.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { TestPostgres } from "../helpers/postgres.ts";
import { ADMIN_TOKEN, createClient, type Harness, putPlugin, startServer } from "./harness.ts";
import { bearer, eventually, flat, servedValue, storedSource } from "./store-helpers.ts";

let pg: TestPostgres;
before(async () => {
  pg = await TestPostgres.start();
});
after(async () => {
  await pg?.stop();
});

async function twoNodes(): Promise<[Harness, Harness, string]> {
  const url = await pg.createDatabase();
  const a = await startServer({ store: url, workers: 1 });
  // One image directory, as a fleet mounts it from shared storage (ETags name the file).
  const b = await startServer({ store: url, workers: 1, imagesDir: a.imagesDir });
  return [a, b, url];
}

test("two nodes: upload on A is used on B, delete on B is gone on A, a rotated token is refused", async () => {
  const [a, b] = await twoNodes();
  try {
    const token = await createClient(a, "shared");
    await eventually(
      "B knows the client",
      async () => b.server.clients.get("shared") !== undefined,
    );
    assert.equal((await putPlugin(a, "shared", token, "tone", flat("tone", 11))).status, 201);
    await eventually(
      "B serves A's upload",
      async () => (await servedValue(b, "shared", token, "tone")) === 11,
    );
    // A hot swap on A: B serves the new code under a new ETag, and the same ETag as A.
    assert.equal((await putPlugin(a, "shared", token, "tone", flat("tone", 12))).status, 200);
    await eventually(
      "B serves the swap",
      async () => (await servedValue(b, "shared", token, "tone")) === 12,
    );
    const etags = await Promise.all(
      [a, b].map(async (h) => {
        const res = await fetch(`${h.url}/images/small.ppm?client=shared&plugin=tone`, {
          headers: bearer(token),
        });
        await res.arrayBuffer();
        return res.headers.get("etag");
      }),
    );
    assert.equal(etags[0], etags[1]);

    const del = await fetch(`${b.url}/clients/shared/plugins/tone`, {
      method: "DELETE",
      headers: bearer(token),
    });
    assert.equal(del.status, 204);
    await eventually("A forgets the deleted plugin", async () => {
      return (await storedSource(a, "shared", token, "tone")) === null;
    });
    assert.equal(await servedValue(a, "shared", token, "tone"), "status 404");

    const rotated = await createClient(a, "shared");
    assert.notEqual(rotated, token);
    await eventually("B refuses the old token", async () => {
      const res = await fetch(`${b.url}/clients/shared`, { headers: bearer(token) });
      await res.arrayBuffer();
      return res.status === 401;
    });
    const ok = await fetch(`${b.url}/clients/shared`, { headers: bearer(rotated) });
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
  } finally {
    await a.stop();
    await b.stop();
  }
});

test("two nodes: concurrent uploads to one plugin, one on each node: the last acknowledged wins everywhere", async () => {
  const [a, b, url] = await twoNodes();
  try {
    const token = await createClient(a, "racer");
    await eventually("B knows the client", async () => b.server.clients.get("racer") !== undefined);
    let last = { version: 0, value: -1 };
    for (let pair = 0; pair < 6; pair++) {
      const values = [2 * pair + 1, 2 * pair + 2];
      const answers = await Promise.all(
        [a, b].map((h, i) => putPlugin(h, "racer", token, "race", flat("race", values[i]))),
      );
      for (const [i, res] of answers.entries()) {
        assert.ok(res.status === 200 || res.status === 201, `status ${res.status}`);
        const { version } = (await res.json()) as { version: string };
        if (Number(version) > last.version) last = { version: Number(version), value: values[i] };
      }
    }
    for (const h of [a, b])
      await eventually("each node serves the last upload", async () => {
        return (await servedValue(h, "racer", token, "race")) === last.value;
      });
    // A node started now (a restart) reads the same.
    const c = await startServer({ store: url, workers: 1, imagesDir: a.imagesDir });
    try {
      assert.equal(await servedValue(c, "racer", token, "race"), last.value);
    } finally {
      await c.stop();
    }
  } finally {
    await a.stop();
    await b.stop();
  }
});

test("the database restarted under load: nodes keep serving, refuse changes with 503, then catch up", async () => {
  const [a, b] = await twoNodes();
  try {
    const token = await createClient(a, "steady");
    assert.equal((await putPlugin(a, "steady", token, "kept", flat("kept", 21))).status, 201);
    await eventually(
      "B has it",
      async () => (await servedValue(b, "steady", token, "kept")) === 21,
    );
    let serving = true;
    let served = 0;
    // Once A has sent the new version, either version may be served until the load stops.
    let sent23 = false;
    const failures: string[] = [];
    const load = (async () => {
      while (serving) {
        for (const h of [a, b]) {
          const v = await servedValue(h, "steady", token, "kept");
          if (v === 21 || (sent23 && v === 23)) served++;
          else failures.push(String(v));
        }
      }
    })();
    await pg.pause();
    try {
      const refused = await putPlugin(a, "steady", token, "kept", flat("kept", 22));
      assert.equal(refused.status, 503);
      assert.equal(((await refused.json()) as { error: string }).error, "store-unavailable");
      const before = served;
      await eventually(
        "requests are served while the database is down",
        async () => served > before + 4,
      );
    } finally {
      await pg.resume();
    }
    // Changes flow again, both ways.
    await eventually("A writes again", async () => {
      sent23 = true;
      const res = await putPlugin(a, "steady", token, "kept", flat("kept", 23));
      await res.arrayBuffer();
      return res.status === 200;
    });
    serving = false;
    await load;
    assert.deepEqual(failures, [], `${served} served`);
    await eventually(
      "B catches up",
      async () => (await servedValue(b, "steady", token, "kept")) === 23,
    );
    const gone = await fetch(`${b.url}/admin/clients/steady`, {
      method: "DELETE",
      headers: bearer(ADMIN_TOKEN),
    });
    assert.equal(gone.status, 204);
    await eventually(
      "A forgets the client",
      async () => a.server.clients.get("steady") === undefined,
    );
  } finally {
    await a.stop();
    await b.stop();
  }
});

test("on PostgreSQL, modules recompiled for a new compiler are written back: the next start-up compiles none", async () => {
  const url = await pg.createDatabase();
  const root = mkdtempSync(join(tmpdir(), "kplug-fleet-"));
  const a = await startServer({ store: url, workers: 1 }, root);
  const imagesDir = a.imagesDir;
  let token: string;
  let versions: string[];
  try {
    token = await createClient(a, "upgraded");
    for (let i = 0; i < 4; i++)
      assert.equal(
        (await putPlugin(a, "upgraded", token, `u${i}`, flat(`u${i}`, 30 + i))).status,
        201,
      );
    versions = a.server.pluginStore.plugins("upgraded").map((p) => `${p.name}@${p.version}`);
  } finally {
    await a.stop();
  }
  for (const expected of [4, 0]) {
    const h = await startServer({ store: url, workers: 1, imagesDir, compilerVersion: "newer" });
    try {
      assert.equal(h.server.clients.compiles, expected);
      assert.deepEqual(
        h.server.pluginStore.plugins("upgraded").map((p) => `${p.name}@${p.version}`),
        versions,
        "same versions: the module is a cache of the version's source",
      );
      assert.ok(
        h.server.pluginStore
          .plugins("upgraded")
          .every((p) => p.compiled?.compilerVersion === "newer"),
      );
      assert.equal(await servedValue(h, "upgraded", token, "u2"), 32);
    } finally {
      await h.stop();
    }
  }
  rmSync(root, { recursive: true, force: true });
});
