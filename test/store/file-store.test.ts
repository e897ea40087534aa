// FileStore: the shared contract, plus what only a data directory has: the exclusive lock,
// read-only and full disks (nothing changes, on disk or in memory), and a process killed with
// SIGKILL in the middle of uploads (the store reopens consistent, with every acknowledged
// upload).

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, type TestContext, test } from "node:test";
import {
  FileStore,
  type PluginStore,
  StoreFull,
  StoreLocked,
  StoreReadOnly,
} from "../../store/index.ts";
import { compiledFor, sourceFor, storeContract, TOKEN } from "./contract.ts";
import { bigSource } from "./kill-writer.ts";

const dirs: string[] = [];
function tempDir(prefix = "kplug-store-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

storeContract("FileStore", async () => {
  const dir = tempDir();
  const subject = {
    store: await FileStore.open(dir),
    async reopen() {
      await subject.store.close();
      subject.store = await FileStore.open(dir);
      return subject.store;
    },
  };
  return subject;
});

/** Every file under `dir` (but the lock) with its bytes, to compare before and after. */
function diskState(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== "kplug-store.lock") out.set(relative(dir, p), readFileSync(p, "hex"));
    }
  };
  walk(dir);
  return out;
}

/** What a client sees of the store: compared before and after a refused write. */
function memoryState(store: PluginStore, client: string) {
  return {
    client: store.client(client),
    plugins: store.plugins(client).map((p) => [p.name, p.version, p.source]),
    version: store.version,
  };
}

const asRoot = process.getuid?.() === 0;

function tryRun(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `dir` read-only for this process. Root ignores permissions, so as root the directory
 * is bind-mounted onto itself and remounted read-only (EROFS); otherwise it is chmod 0555
 * (EACCES). Returns the undo, or undefined (with the reason) when neither is possible.
 */
function makeReadOnly(t: TestContext, dir: string): (() => void) | undefined {
  if (asRoot) {
    if (tryRun("mount", ["--bind", dir, dir])) {
      if (tryRun("mount", ["-o", "remount,bind,ro", dir])) {
        t.diagnostic(`read-only: ${dir} bind-mounted read-only`);
        return () => execFileSync("umount", [dir]);
      }
      execFileSync("umount", [dir]);
    }
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
  t.diagnostic(`read-only: ${dir} and its directories chmod 0555`);
  return () => chmodAll(0o755);
}

test("FileStore: a second open of the same directory is refused with StoreLocked", async () => {
  const dir = tempDir();
  const first = await FileStore.open(dir);
  const err = await FileStore.open(dir).catch((e) => e);
  assert.ok(err instanceof StoreLocked, String(err));
  assert.equal(err.holderPid, process.pid);
  assert.match(err.message, /in use by process \d+/);
  // A second process is refused too (the lock is on disk, not in this process's memory).
  const script = `import { FileStore } from "./store/index.ts";
    FileStore.open(${JSON.stringify(dir)}).then(() => process.exit(0), (e) => { console.log(e.name); process.exit(3); });`;
  const out = await runChild(["--import", "tsx", "--input-type=module", "-e", script]);
  assert.equal(out.code, 3);
  assert.equal(out.stdout.trim(), "StoreLocked");
  await first.close();
  await (await FileStore.open(dir)).close();
});

test("FileStore: on a read-only directory writes fail with StoreReadOnly and change nothing", async (t) => {
  const dir = tempDir();
  const store = await FileStore.open(dir);
  await store.putClient("ro", { tokenSha256: TOKEN("ro") });
  await store.putPlugin("ro", "keep", sourceFor("keep"), compiledFor("keep"));
  const undo = makeReadOnly(t, dir);
  if (!undo) {
    t.skip("cannot make a directory read-only for root here (mount --bind failed)");
    await store.close();
    return;
  }
  const disk = diskState(dir);
  const memory = memoryState(store, "ro");
  try {
    const attempts = [
      store.putPlugin("ro", "keep", sourceFor("changed"), null),
      store.putPlugin("ro", "fresh", sourceFor("fresh"), null),
      store.deletePlugin("ro", "keep"),
      store.rotateToken("ro", TOKEN("other")),
      store.deleteClient("ro"),
      store.putClient("newcomer", { tokenSha256: TOKEN("n") }),
    ];
    for (const r of await Promise.allSettled(attempts)) {
      assert.equal(r.status, "rejected");
      assert.ok(r.reason instanceof StoreReadOnly, String(r.reason));
    }
    assert.deepEqual(memoryState(store, "ro"), memory);
    assert.equal(store.client("newcomer"), undefined);
    assert.deepEqual(diskState(dir), disk);
    await store.close();
  } finally {
    undo();
  }
  // Start-up on a read-only directory: a typed error with a clear message.
  const dir2 = tempDir();
  await (await FileStore.open(dir2)).close();
  const undo2 = makeReadOnly(t, dir2)!;
  try {
    const err = await FileStore.open(dir2).catch((e) => e);
    assert.ok(err instanceof StoreReadOnly, String(err));
    assert.match(err.message, /read-only/);
  } finally {
    undo2();
  }
});

test("FileStore: on a full disk writes fail with StoreFull and change nothing", async (t) => {
  const mnt = tempDir("kplug-full-");
  if (!asRoot || !tryRun("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt])) {
    t.skip("cannot mount a small tmpfs here (needs root and mount); full-disk check not run");
    return;
  }
  t.diagnostic(`full disk: a 1 MiB tmpfs at ${mnt}`);
  try {
    const dir = join(mnt, "data");
    mkdirSync(dir);
    const store = await FileStore.open(dir);
    await store.putClient("full", { tokenSha256: TOKEN("full") });
    await store.putPlugin("full", "keep", sourceFor("keep"), compiledFor("keep"));
    // Too big for what is left: the temporary file fills the disk and is removed again.
    const big = "x".repeat(2 << 20);
    await assert.rejects(store.putPlugin("full", "keep", big, null), StoreFull);
    // Fill the disk to the last block, then even small writes fail.
    const filler = join(mnt, "filler");
    writeFileSync(filler, "");
    try {
      for (;;) writeFileSync(filler, Buffer.alloc(4096), { flag: "a" });
    } catch (e) {
      assert.equal((e as NodeJS.ErrnoException).code, "ENOSPC");
    }
    assert.ok(statSync(filler).size > 0);
    const disk = diskState(dir);
    const memory = memoryState(store, "full");
    for (const r of await Promise.allSettled([
      store.putPlugin("full", "keep", sourceFor("changed"), null),
      store.deletePlugin("full", "keep"),
      store.rotateToken("full", TOKEN("other")),
      store.deleteClient("full"),
      store.putClient("newcomer", { tokenSha256: TOKEN("n") }),
    ])) {
      assert.equal(r.status, "rejected");
      assert.ok(r.reason instanceof StoreFull, String(r.reason));
    }
    assert.deepEqual(memoryState(store, "full"), memory);
    assert.deepEqual(diskState(dir), disk);
    // Space again: the store works, and a reopen reads what memory says.
    rmSync(filler);
    await store.putPlugin("full", "keep", sourceFor("after"), null);
    await store.close();
    const reopened = await FileStore.open(dir);
    assert.equal(reopened.plugin("full", "keep")?.source, sourceFor("after"));
    await reopened.close();
  } finally {
    execFileSync("umount", [mnt]);
  }
});

function runChild(args: string[], onLine?: (line: string) => void) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let pending = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d;
    pending += d;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const l of lines) onLine?.(l);
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d;
  });
  const done = new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return Object.assign(done, { child });
}

test("FileStore: a process killed with SIGKILL mid-upload leaves a consistent store", async () => {
  const dir = tempDir();
  const writer = join(import.meta.dirname, "kill-writer.ts");
  for (let round = 0; round < 3; round++) {
    const acked = new Map<string, { version: number; tag: string }>();
    let count = 0;
    const stopAfter = 10 + round * 7;
    const run = runChild(["--import", "tsx", writer, dir], (line) => {
      const [name, version, tag] = line.split(" ");
      acked.set(name!, { version: Number(version), tag: tag! });
      if (++count === stopAfter) run.child.kill("SIGKILL");
    });
    const result = await run;
    assert.equal(result.signal, "SIGKILL", result.stderr);
    const store = await FileStore.open(dir);
    assert.deepEqual(store.problems, []);
    for (const [name, want] of acked) {
      const got = store.plugin("victim", name)!;
      // The acknowledged upload, or the one in flight when the process died: never older,
      // never a mix of two.
      assert.ok(got.version >= want.version, `${name}: ${got.version} < acked ${want.version}`);
      const tag = /^\/\* (\S+) \*\//.exec(got.source)![1]!;
      assert.equal(got.source, bigSource(tag));
      assert.deepEqual(got.compiled?.wasm, compiledFor(tag).wasm);
      if (got.version === want.version) assert.equal(tag, want.tag);
    }
    const leftovers = readdirSync(join(dir, "store/plugins/victim/1")).filter((f) =>
      f.endsWith(".tmp"),
    );
    assert.deepEqual(leftovers, []);
    await store.close();
  }
});

test("FileStore: a data directory from before the store is imported once (sources, token, limits)", async () => {
  const dir = tempDir();
  const old = join(dir, "clients", "legacy");
  mkdirSync(join(old, "plugins"), { recursive: true });
  writeFileSync(
    join(old, "client.json"),
    JSON.stringify({
      id: "legacy",
      tokenSha256: TOKEN("legacy"),
      settings: { fuel: 20000, memory: 2097152 },
    }),
  );
  writeFileSync(join(old, "plugins", "tint.c"), sourceFor("tint"));
  mkdirSync(join(dir, "clients", "broken"));
  const store = await FileStore.open(dir);
  assert.equal(store.client("legacy")?.tokenSha256, TOKEN("legacy"));
  assert.deepEqual(store.client("legacy")?.limits, { fuel: 20000, memory: 2097152 });
  assert.equal(store.plugin("legacy", "tint")?.source, sourceFor("tint"));
  assert.equal(store.plugin("legacy", "tint")?.compiled, null);
  assert.match(store.problems.join("\n"), /client 'broken' not imported/);
  // Imported once: a deletion in the new store is not undone by the old files.
  await store.deletePlugin("legacy", "tint");
  await store.close();
  const again = await FileStore.open(dir);
  assert.equal(again.plugin("legacy", "tint"), undefined);
  assert.deepEqual(again.problems, []);
  await again.close();
});
