// A `kplug serve` process killed with SIGKILL in the middle of a stream of uploads, then
// started again on the same data directory: the dead process's lock is taken over, and every
// plugin serves a version at least as new as the last one acknowledged before the kill, whose
// compiled code matches its source (no torn state). The same for a node on PostgreSQL: a
// transaction the kill cut short is rolled back, one that committed is served.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { encodePnm } from "../../httpd/codecs.ts";
import { TestPostgres } from "../helpers/postgres.ts";
import { testImage } from "./fixtures.ts";
import { bearer, flat, servedValue, storedSource } from "./store-helpers.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN = "kill-test-client-token-0123456789";
const PLUGINS = ["pa", "pb", "pc", "pd"];
/** Acknowledged uploads before the kill; the other lanes are then mid-upload. */
const ACKED_BEFORE_KILL = 10;

interface Child {
  process: ChildProcess;
  url: string;
}

/** `kplug serve` on `store` (default: a directory in `dir`); resolves with its URL once it listens. */
function serve(dir: string, store = join(dir, "store")): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      join(root, "bin/kplug.js"),
      "serve",
      "--port",
      "0",
      "--store",
      store,
      "--data",
      join(dir, "data"),
      "--images",
      join(dir, "images"),
      "--client",
      `racer:${TOKEN}`,
      "--workers",
      "1",
      "--no-helper",
      "--no-demo",
      "--no-cache",
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      const m = /(http:\/\/[\d.:]+)\//.exec(stdout);
      if (m) resolve({ process: child, url: m[1] });
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`kplug serve exited (${code ?? signal}): ${stderr.trim()}`)),
    );
  });
}

/** The flat value in a plugin source written by `flat`. */
function flatValue(source: string): number {
  const m = /out->pixels\[i\] = (\d+);/.exec(source);
  assert.ok(m, `not a flat plugin: ${source.slice(0, 80)}`);
  return Number(m[1]);
}

/** Kills a node mid-upload, restarts it on the same store, checks what it serves. */
async function killAndRestart(store?: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "kplug-kill-"));
  mkdirSync(join(dir, "images"));
  writeFileSync(join(dir, "images", "small.ppm"), encodePnm(testImage(40, 30, 3)));
  let child: Child | undefined;
  try {
    child = await serve(dir, store);
    const first = child;
    // Per plugin: the last value acknowledged, and the highest value sent.
    const acked = new Map<string, number>();
    const sent = new Map<string, number>();
    let ackCount = 0;
    let killed = false;
    const exited = new Promise((r) => first.process.once("exit", r));
    // One lane per plugin: each upload waits for the previous one, so acknowledgments of one
    // plugin come in increasing order. Values are 1, 2, 3... per plugin (below 256).
    const lane = async (name: string) => {
      for (let value = 1; !killed && value < 250; value++) {
        sent.set(name, value);
        let status: number;
        try {
          const res = await fetch(`${first.url}/clients/racer/plugins/${name}`, {
            method: "PUT",
            headers: { ...bearer(TOKEN), "content-type": "text/x-c" },
            body: flat(name, value),
          });
          status = res.status;
          await res.arrayBuffer();
        } catch {
          return; // the server died under this upload: not acknowledged
        }
        // An answer received is an acknowledgment, even one that raced the kill.
        assert.ok(status === 200 || status === 201, `upload ${name}=${value}: ${status}`);
        acked.set(name, value);
        if (++ackCount === ACKED_BEFORE_KILL && !killed) {
          killed = true;
          first.process.kill("SIGKILL");
        }
      }
    };
    await Promise.all(PLUGINS.map(lane));
    await exited;
    assert.equal(first.process.signalCode, "SIGKILL");
    assert.ok(ackCount >= ACKED_BEFORE_KILL);
    // The dead process's lock is still there; the restart must take it over.
    if (store === undefined)
      assert.ok(existsSync(join(dir, "store", "kplug-store.lock")), "a stale lock is left behind");

    child = await serve(dir, store);
    for (const name of PLUGINS) {
      const last = acked.get(name) ?? 0;
      const source = await storedSource(child, "racer", TOKEN, name);
      if (last === 0 && source === null) continue; // never acknowledged, never stored
      assert.ok(source !== null, `${name}: acknowledged ${last}, but gone after the restart`);
      const value = flatValue(source);
      assert.ok(value >= last, `${name}: serves ${value}, older than the acknowledged ${last}`);
      assert.ok(value <= (sent.get(name) ?? 0), `${name}: serves ${value}, never sent`);
      // The compiled module that runs is the one of that source.
      assert.equal(await servedValue(child, "racer", TOKEN, name), value, `${name}: torn`);
    }
    // At least one plugin had an acknowledged upload (the kill came after ten).
    assert.ok([...acked.values()].some((v) => v > 0));
  } finally {
    if (child && child.process.exitCode === null && child.process.signalCode === null) {
      const gone = new Promise((r) => child?.process.once("exit", r));
      child.process.kill("SIGTERM");
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  "kill -9 mid-upload, restart on the same directory: the lock is taken over, nothing acknowledged is lost",
  {
    timeout: 180_000,
  },
  () => killAndRestart(),
);

test("kill -9 mid-upload of a node on PostgreSQL, restart: nothing acknowledged is lost", {
  timeout: 180_000,
}, async () => {
  const pg = await TestPostgres.start();
  try {
    await killAndRestart(await pg.createDatabase());
  } finally {
    await pg.stop();
  }
});
