// The server on its embedded store (a data directory): every change reaches the store before
// it is acknowledged or takes effect, so a restart serves exactly what was acknowledged;
// versions in ETags and If-Match; a second server on one directory is refused; a read-only
// directory or a full disk refuses uploads with 503 and changes nothing (so does `kplug serve`
// refuse to start on a read-only one, in one line); start-up compiles each plugin once.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ImageServer } from "../../httpd/server.ts";
import { FileStore, StoreLocked } from "../../store/index.ts";
import { ADMIN_TOKEN, createClient, type Harness, putPlugin, startServer } from "./harness.ts";
import { bearer, flat, servedValue, storedSource } from "./store-helpers.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const asRoot = process.getuid?.() === 0;

function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), "kplug-httpd-store-"));
}

test("concurrent uploads to one plugin: a restart serves the last acknowledged one", async () => {
  const dir = tempRoot();
  let h = await startServer({}, dir);
  try {
    const token = await createClient(h, "racer");
    let last = { version: 0, value: -1 };
    for (let pair = 0; pair < 8; pair++) {
      const values = [2 * pair + 1, 2 * pair + 2];
      const answers = await Promise.all(
        values.map((v) => putPlugin(h, "racer", token, "race", flat("race", v))),
      );
      for (const [i, res] of answers.entries()) {
        assert.ok(res.status === 200 || res.status === 201, `status ${res.status}`);
        const { version } = (await res.json()) as { version: string };
        assert.equal(res.headers.get("etag"), `"${version}"`);
        if (Number(version) > last.version) last = { version: Number(version), value: values[i] };
      }
      assert.equal(await servedValue(h, "racer", token, "race"), last.value);
    }
    await h.stop();
    h = await startServer({}, dir);
    assert.equal(await servedValue(h, "racer", token, "race"), last.value);
    assert.equal(await storedSource(h, "racer", token, "race"), flat("race", last.value));
  } finally {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a DELETE after a PUT stays deleted; a re-created client id starts empty", async () => {
  const dir = tempRoot();
  let h = await startServer({}, dir);
  try {
    const token = await createClient(h, "mortal");
    for (let i = 0; i < 6; i++) {
      const put = await putPlugin(h, "mortal", token, `p${i}`, flat(`p${i}`, i + 1));
      assert.equal(put.status, 201, await put.text());
      const del = await fetch(`${h.url}/clients/mortal/plugins/p${i}`, {
        method: "DELETE",
        headers: bearer(token),
      });
      assert.equal(del.status, 204);
    }
    await putPlugin(h, "mortal", token, "kept", flat("kept", 9));
    const gone = await fetch(`${h.url}/admin/clients/mortal`, {
      method: "DELETE",
      headers: bearer(ADMIN_TOKEN),
    });
    assert.equal(gone.status, 204);
    const again = await createClient(h, "mortal");
    await h.stop();
    h = await startServer({}, dir);
    const info = await fetch(`${h.url}/clients/mortal`, { headers: bearer(again) });
    assert.equal(info.status, 200);
    assert.deepEqual(((await info.json()) as { plugins: unknown[] }).plugins, []);
    assert.equal(await servedValue(h, "mortal", again, "kept"), "status 404");
    const old = await fetch(`${h.url}/clients/mortal`, { headers: bearer(token) });
    assert.equal(old.status, 401, "the deleted client's token is dead");
  } finally {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("versions: GET /clients/{id} shows them, If-Match guards uploads, ETags follow imports", async () => {
  const h = await startServer();
  try {
    const token = await createClient(h, "versioned");
    const base = `#include "kplug/image.h"
int base_value(void) { return 40; }
int base_transform(const image *in, image *out, const params *p) { (void)in; (void)out; (void)p; return IMAGE_EFORMAT; }
`;
    const user = `#include "kplug/image.h"
extern int base_value(void);
int user_transform(const image *in, image *out, const params *p) {
  (void)p;
  int rc = image_alloc(out, in->width, in->height, 1);
  if (rc) return rc;
  for (int i = 0; i < in->width * in->height; i++) out->pixels[i] = base_value();
  return IMAGE_OK;
}
`;
    const first = await putPlugin(h, "versioned", token, "base", base);
    assert.equal(first.status, 201, await first.text());
    const v1 = first.headers.get("etag");
    assert.equal((await putPlugin(h, "versioned", token, "user", user)).status, 201);
    const info = (await (
      await fetch(`${h.url}/clients/versioned`, { headers: bearer(token) })
    ).json()) as { plugins: Array<{ name: string; version: string }> };
    assert.equal(`"${info.plugins.find((p) => p.name === "base")?.version}"`, v1);

    const image = () =>
      fetch(`${h.url}/images/small.ppm?client=versioned&plugin=user`, { headers: bearer(token) });
    const before = await image();
    assert.equal(before.status, 200);
    await before.arrayBuffer();
    const etag1 = before.headers.get("etag");

    // A stale If-Match is refused and changes nothing; the current one is accepted.
    const stale = await fetch(`${h.url}/clients/versioned/plugins/base`, {
      method: "PUT",
      headers: { ...bearer(token), "if-match": '"1"' },
      body: base.replace("return 40", "return 41"),
    });
    assert.equal(stale.status, 412);
    assert.equal(((await stale.json()) as { current: string }).current, v1?.replaceAll('"', ""));
    assert.equal(await servedValue(h, "versioned", token, "user"), 40);
    const fresh = await fetch(`${h.url}/clients/versioned/plugins/base`, {
      method: "PUT",
      headers: { ...bearer(token), "if-match": v1 ?? "" },
      body: base.replace("return 40", "return 41"),
    });
    assert.equal(fresh.status, 200, await fresh.text());
    assert.notEqual(fresh.headers.get("etag"), v1);

    // Only the imported plugin changed, yet the chain's ETag (and cache entry) is new.
    const after = await image();
    await after.arrayBuffer();
    assert.notEqual(after.headers.get("etag"), etag1);
    assert.equal(await servedValue(h, "versioned", token, "user"), 41);
  } finally {
    await h.stop();
  }
});

test("a second server on the same data directory is refused with StoreLocked", async () => {
  const h = await startServer();
  try {
    const err = await ImageServer.create({
      imagesDir: h.imagesDir,
      dataDir: h.dataDir,
      log: () => {},
      workers: 1,
    }).catch((e) => e);
    assert.ok(err instanceof StoreLocked, String(err));
    // `kplug serve` says so in one line and exits non-zero.
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [join(root, "bin/kplug.js"), "serve", "--port", "0", "--store", h.dataDir, "--no-helper"],
        { cwd: root, env: { ...process.env, KPLUG_DATA: h.root } },
      );
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
      });
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    assert.equal(out.code, 1, out.stderr);
    const lines = out.stderr.trim().split("\n");
    assert.equal(lines.length, 1, out.stderr);
    assert.match(lines[0], /in use by process \d+/);
  } finally {
    await h.stop();
  }
});

function tryRun(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Read-only for this process: a read-only bind mount as root, else chmod 0555 (as store/ tests do). */
function makeReadOnly(t: TestContext, dir: string): (() => void) | undefined {
  if (asRoot) {
    if (tryRun("mount", ["--bind", dir, dir])) {
      if (tryRun("mount", ["-o", "remount,bind,ro", dir]))
        return () => execFileSync("umount", [dir]);
      execFileSync("umount", [dir]);
    }
    t.diagnostic("cannot make a directory read-only for root here (mount --bind failed)");
    return undefined;
  }
  const chmodAll = (mode: number) => {
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true }))
        if (e.isDirectory()) walk(join(d, e.name));
      execFileSync("chmod", [mode.toString(8), d]);
    };
    walk(dir);
  };
  chmodAll(0o555);
  return () => chmodAll(0o755);
}

test("a read-only data directory: uploads and deletes answer 503 and change nothing", async (t) => {
  const h = await startServer();
  try {
    const token = await createClient(h, "frozen");
    assert.equal((await putPlugin(h, "frozen", token, "keep", flat("keep", 5))).status, 201);
    const undo = makeReadOnly(t, join(h.dataDir, "store"));
    if (!undo) {
      t.skip("no way to make the directory read-only here");
      return;
    }
    try {
      const put = await putPlugin(h, "frozen", token, "keep", flat("keep", 6));
      assert.equal(put.status, 503);
      const body = (await put.json()) as { error: string; message: string };
      assert.equal(body.error, "store-read-only", body.message);
      const added = await putPlugin(h, "frozen", token, "other", flat("other", 7));
      assert.equal(added.status, 503);
      await added.arrayBuffer();
      const del = await fetch(`${h.url}/clients/frozen/plugins/keep`, {
        method: "DELETE",
        headers: bearer(token),
      });
      assert.equal(del.status, 503);
      await del.arrayBuffer();
      assert.equal(await servedValue(h, "frozen", token, "keep"), 5);
      assert.equal(await storedSource(h, "frozen", token, "other"), null);
    } finally {
      undo();
    }
  } finally {
    await h.stop();
  }
});

/** name -> version, as GET /clients/{id} shows them. */
async function pluginVersions(h: Harness, id: string, token: string) {
  const res = await fetch(`${h.url}/clients/${id}`, { headers: bearer(token) });
  const { plugins } = (await res.json()) as { plugins: Array<{ name: string; version: string }> };
  return Object.fromEntries(plugins.map((p) => [p.name, p.version]));
}

test("a full disk under the data directory: uploads and deletes answer 503 and change nothing", async (t) => {
  const dir = tempRoot();
  const data = join(dir, "data");
  execFileSync("mkdir", ["-p", data]);
  if (!asRoot || !tryRun("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", data])) {
    rmSync(dir, { recursive: true, force: true });
    t.skip("cannot mount a small tmpfs here (needs root and mount)");
    return;
  }
  t.diagnostic(`full disk: a 1 MiB tmpfs at ${data}`);
  let h = await startServer({}, dir);
  try {
    const token = await createClient(h, "cramped");
    assert.equal((await putPlugin(h, "cramped", token, "keep", flat("keep", 5))).status, 201);
    const filler = join(data, "filler");
    writeFileSync(filler, "");
    try {
      for (;;) writeFileSync(filler, Buffer.alloc(4096), { flag: "a" });
    } catch (e) {
      assert.equal((e as NodeJS.ErrnoException).code, "ENOSPC");
    }
    const put = await putPlugin(h, "cramped", token, "keep", flat("keep", 6));
    assert.equal(put.status, 503);
    const body = (await put.json()) as { error: string };
    assert.equal(body.error, "store-full");
    assert.match(put.headers.get("retry-after") ?? "", /^\d+$/);
    const added = await putPlugin(h, "cramped", token, "other", flat("other", 7));
    assert.equal(added.status, 503);
    await added.arrayBuffer();
    const del = await fetch(`${h.url}/clients/cramped/plugins/keep`, {
      method: "DELETE",
      headers: bearer(token),
    });
    assert.equal(del.status, 503);
    await del.arrayBuffer();
    assert.equal(await servedValue(h, "cramped", token, "keep"), 5);
    assert.equal(await storedSource(h, "cramped", token, "other"), null);
    // Space again: a restart serves what was acknowledged, and changes work.
    rmSync(filler);
    await h.stop();
    h = await startServer({}, dir);
    assert.equal(await servedValue(h, "cramped", token, "keep"), 5);
    assert.equal(await storedSource(h, "cramped", token, "other"), null);
    assert.equal((await putPlugin(h, "cramped", token, "keep", flat("keep", 8))).status, 200);
  } finally {
    await h.stop();
    execFileSync("umount", [data]);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** `kplug serve ...args`: its exit code and stderr (it must exit by itself). */
function serveExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "bin/kplug.js"), "serve", ...args], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

test("kplug serve on a read-only data directory exits 1 with one line, no stack", async (t) => {
  const dir = tempRoot();
  const data = join(dir, "data");
  const images = join(dir, "images");
  execFileSync("mkdir", ["-p", data, images]);
  const undo = makeReadOnly(t, data);
  if (!undo) {
    t.skip("no way to make the directory read-only here");
    return;
  }
  try {
    const common = ["--port", "0", "--data", data, "--no-helper", "--no-demo"];
    // The store itself cannot be opened.
    const store = await serveExit([...common, "--images", images]);
    assert.equal(store.code, 1, store.stderr);
    assert.deepEqual(store.stderr.trim().split("\n").length, 1, store.stderr);
    assert.match(store.stderr, /cannot open the store .*read-only/);
    // Without --images, the sample images cannot be written there either.
    const samples = await serveExit(common);
    assert.equal(samples.code, 1, samples.stderr);
    assert.equal(samples.stderr.trim().split("\n").length, 1, samples.stderr);
    assert.match(samples.stderr, /cannot write the sample images/);
    assert.doesNotMatch(`${store.stderr}${samples.stderr}`, /\n\s+at /);
  } finally {
    undo();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Plugin i exports step_i(), which calls step_{i+1}(): p0 needs all the others linked first. */
function chainSource(i: number, n: number): string {
  const body = i + 1 < n ? `return step_${i + 1}() + 1;` : "return 0;";
  return `#include "kplug/image.h"
${i + 1 < n ? `extern int step_${i + 1}(void);` : ""}
int step_${i}(void) { ${body} }
int p${i}_transform(const image *in, image *out, const params *p) {
  (void)p;
  int rc = image_alloc(out, in->width, in->height, 1);
  if (rc) return rc;
  int v = step_${i}();
  for (int k = 0; k < in->width * in->height; k++) out->pixels[k] = v;
  return IMAGE_OK;
}
`;
}

test("start-up: 24 plugins importing each other, uploaded in reverse order, compiled once each", async () => {
  const n = 24;
  const dir = tempRoot();
  const store = join(dir, "data");
  let h = await startServer({ workers: 2 }, dir);
  try {
    const token = await createClient(h, "chain");
    for (let i = n - 1; i >= 0; i--) {
      const res = await putPlugin(h, "chain", token, `p${i}`, chainSource(i, n));
      assert.equal(res.status, 201, await res.text());
    }
    assert.equal(await servedValue(h, "chain", token, "p0"), n - 1);
    await h.stop();

    // Same compiler: every stored module is reused, nothing is compiled.
    h = await startServer({ workers: 2, store }, dir);
    assert.equal(h.server.clients.compiles, 0);
    assert.equal(await servedValue(h, "chain", token, "p0"), n - 1);
    await h.stop();

    // Another compiler version: each plugin is compiled exactly once, and linked in order.
    const lines: string[] = [];
    h = await startServer(
      { workers: 2, compilerVersion: "other", progressEvery: 10, log: (m) => lines.push(m) },
      dir,
    );
    assert.equal(h.server.clients.compiles, n);
    assert.ok(
      lines.some((l) => /loading plugins: 20\/24$/.test(l)),
      lines.join("\n"),
    );
    const spec = h.server.executor.specOf("chain");
    const order = spec?.plugins.map((p) => p.name) ?? [];
    assert.deepEqual(
      order,
      Array.from({ length: n }, (_, i) => `p${n - 1 - i}`),
    );
    assert.equal(await servedValue(h, "chain", token, "p0"), n - 1);
    assert.equal(await servedValue(h, "chain", token, "p12"), n - 13);
    // The recompiled modules were written back under the same versions (ETags unchanged).
    assert.equal(h.server.clients.writtenBack, n);
    const versions = await pluginVersions(h, "chain", token);
    await h.stop();

    // The same new compiler again: nothing to compile, same versions, same answers.
    h = await startServer({ workers: 2, compilerVersion: "other" }, dir);
    assert.equal(h.server.clients.compiles, 0);
    assert.deepEqual(await pluginVersions(h, "chain", token), versions);
    assert.equal(await servedValue(h, "chain", token, "p0"), n - 1);
  } finally {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the store's typed errors never leak as 500: an unopenable store fails create()", async () => {
  const dir = tempRoot();
  try {
    const held = await FileStore.open(join(dir, "held"));
    try {
      const err = await ImageServer.create({
        imagesDir: dir,
        store: join(dir, "held"),
        log: () => {},
        workers: 1,
      }).catch((e) => e);
      assert.ok(err instanceof StoreLocked, String(err));
    } finally {
      await held.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
