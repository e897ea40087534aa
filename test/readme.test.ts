// The README's embedding example must keep working: it is extracted and run as written.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");

test("the README's embedding example runs and prints the FNV-1a checksum twice", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, "README.md has no ```ts example");
  const dir = mkdtempSync(join(root, "test", ".readme-"));
  try {
    const file = join(dir, "example.ts");
    writeFileSync(file, match[1]!.replaceAll('from "kplug"', 'from "../../index.ts"'));
    const run = spawnSync(process.execPath, ["--import", "tsx", file], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(run.status, 0, run.stderr);
    // The plugin logs the hash through the kernel export (as a signed int), then the host
    // prints the returned uint32_t. Both must be FNV-1a of 4096 bytes of 7, computed here.
    let h = 2166136261;
    for (let i = 0; i < 4096; i++) h = Math.imul(h ^ 7, 16777619) >>> 0;
    assert.deepEqual(run.stdout.trim().split("\n"), [String(h | 0), String(h)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
