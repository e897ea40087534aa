// Start-up on a large store whose modules must all be compiled again (sources only, as after
// a compiler change): the server listens and answers /healthz before the compiles finish,
// reports progress, answers a client whose plugins are not compiled yet with 503 and a
// Retry-After, then serves every plugin correctly; the modules it compiled are written back,
// so the next start-up compiles nothing.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodePnm } from "../../httpd/codecs.ts";
import { ImageServer } from "../../httpd/server.ts";
import { FileStore, sha256Hex } from "../../store/index.ts";
import { testImage } from "./fixtures.ts";
import { bearer, flat, servedValue } from "./store-helpers.ts";

const CLIENTS = 6;
const PER_CLIENT = 20;
const token = (c: number) => `token-of-client-${c}`;
const flatValue = (c: number, p: number) => 1 + c * PER_CLIENT + p;

test("start-up with 120 plugins to compile: listens first, 503 while loading, then serves all", async () => {
  const root = mkdtempSync(join(tmpdir(), "kplug-startup-"));
  const dataDir = join(root, "data");
  try {
    // Written straight into the store, sources only: every plugin needs a compile.
    const store = await FileStore.open(dataDir);
    for (let c = 0; c < CLIENTS; c++) {
      await store.putClient(`c${c}`, { tokenSha256: sha256Hex(token(c)) });
      for (let p = 0; p < PER_CLIENT; p++)
        await store.putPlugin(`c${c}`, `p${p}`, flat(`p${p}`, flatValue(c, p)), null);
    }
    await store.close();
    const total = CLIENTS * PER_CLIENT;

    const imagesDir = join(root, "images");
    mkdirSync(imagesDir);
    writeFileSync(join(imagesDir, "small.ppm"), encodePnm(testImage(40, 30, 3)));

    const lines: string[] = [];
    const server = await ImageServer.create({
      imagesDir,
      dataDir,
      workers: 1,
      progressEvery: 40,
      log: (m) => lines.push(m),
    });
    const url = await server.listen(0);
    const h = { url };
    try {
      const early = (await (await fetch(`${url}/healthz`)).json()) as {
        status: string;
        ready: boolean;
        loading: { plugins: number; loaded: number; compiling: number };
      };
      assert.equal(early.status, "ok");
      assert.equal(early.ready, false, "answered before the compiles finished");
      assert.equal(early.loading.plugins, total);
      assert.ok(early.loading.compiling > 0 && early.loading.loaded < total, JSON.stringify(early));
      const notReady = await fetch(`${url}/readyz`);
      assert.equal(notReady.status, 503);
      await notReady.arrayBuffer();

      // The last client in the queue is not ready yet: its requests wait, typed and retryable.
      const last = CLIENTS - 1;
      const refused = await fetch(`${url}/images/small.ppm?client=c${last}&plugin=p0`, {
        headers: bearer(token(last)),
      });
      assert.equal(refused.status, 503);
      assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
      const body = (await refused.json()) as { error: string; plugins: string[] };
      assert.equal(body.error, "plugins-loading");
      assert.ok(body.plugins.length > 0);
      // Its plugins are listed (not ready), and their sources can be read.
      const info = (await (
        await fetch(`${url}/clients/c${last}`, { headers: bearer(token(last)) })
      ).json()) as { plugins: Array<{ name: string; ready: boolean }> };
      assert.equal(info.plugins.length, PER_CLIENT);
      assert.ok(info.plugins.some((p) => !p.ready));
      const src = await fetch(`${url}/clients/c${last}/plugins/p3`, {
        headers: bearer(token(last)),
      });
      assert.equal(await src.text(), flat("p3", flatValue(last, 3)));
      const upload = await fetch(`${url}/clients/c${last}/plugins/extra`, {
        method: "PUT",
        headers: bearer(token(last)),
        body: flat("extra", 1),
      });
      assert.equal(upload.status, 503, "an upload would link against missing plugins");
      await upload.arrayBuffer();

      await server.ready;
      const done = (await (await fetch(`${url}/healthz`)).json()) as {
        ready: boolean;
        loading: { loaded: number; compiling: number };
      };
      assert.equal(done.ready, true);
      assert.equal(done.loading.loaded, total);
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      assert.equal(server.clients.compiles, total);
      assert.equal(server.clients.writtenBack, total);
      for (let c = 0; c < CLIENTS; c++)
        for (let p = 0; p < PER_CLIENT; p += 7)
          assert.equal(await servedValue(h, `c${c}`, token(c), `p${p}`), flatValue(c, p));
      assert.ok(
        lines.includes(
          `loading plugins: 0/${total} (0 stored modules reused, ${total} to compile for this compiler)`,
        ),
        lines.join("\n"),
      );
      assert.ok(lines.includes(`loading plugins: 40/${total}`), lines.join("\n"));
      assert.ok(
        lines.some((l) =>
          l.startsWith(`loading plugins: ${total}/${total} ready (${total} compiled`),
        ),
        lines.join("\n"),
      );
    } finally {
      await server.close();
    }

    // The compiled modules were kept: the next start-up is ready at once.
    const again = await ImageServer.create({ imagesDir, dataDir, workers: 1, log: () => {} });
    try {
      const url2 = await again.listen(0);
      const health = (await (await fetch(`${url2}/healthz`)).json()) as { ready: boolean };
      assert.equal(health.ready, true);
      assert.equal(again.clients.compiles, 0);
      assert.equal(await servedValue({ url: url2 }, "c3", token(3), "p5"), flatValue(3, 5));
    } finally {
      await again.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
