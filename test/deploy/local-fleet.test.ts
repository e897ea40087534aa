// deploy/local-fleet.sh --check: the fleet of deploy/compose.yaml as local processes (this
// machine has no Docker engine): a throwaway PostgreSQL, `kplug store migrate`, two
// `kplug serve` nodes on it and nginx in front; nginx must reach every node, and a client
// imported into the database must reach every node. Needs nginx (.ci/run installs
// nginx-light); skipped, saying so, without it.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const nginx = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"].some(existsSync);

test("deploy/local-fleet.sh --check: nginx reaches both nodes, an import reaches both", {
  timeout: 300_000,
}, async (t) => {
  if (!nginx) {
    t.skip("nginx is not installed (Debian: nginx-light)");
    return;
  }
  const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const child = spawn("bash", ["deploy/local-fleet.sh", "--check"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (d: Buffer) => {
      text += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      text += d;
    });
    child.on("exit", (code) => resolve({ code, text }));
  });
  assert.equal(out.code, 0, out.text);
  assert.match(out.text, /ok: nginx on :\d+ proxies \/healthz to every node/);
  assert.match(out.text, /ok: a client imported into PostgreSQL reached all 2 nodes/);
});
