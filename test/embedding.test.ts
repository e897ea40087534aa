// docs/embedding.md's example runs exactly as written: its first ```js block is written to a
// file inside the package (so `import ... from "kplug"` resolves to the package itself) and
// run, with the "kplug-source" export condition pointing "kplug" at the TypeScript sources.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..");

/** The ```js blocks of a markdown file, in order. */
export function jsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

test("docs/embedding.md's example runs: host function, limits, a fault, a hot swap", () => {
  const [example] = jsBlocks(readFileSync(join(root, "docs", "embedding.md"), "utf8"));
  assert.ok(example?.includes('from "kplug"'), "docs/embedding.md has no ```js example");
  const dir = mkdtempSync(join(root, "test", ".embedding-"));
  try {
    const file = join(dir, "example.mjs");
    writeFileSync(file, example);
    const run = spawnSync(
      process.execPath,
      ["--conditions=kplug-source", "--import", "tsx", file],
      { cwd: dir, encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split("\n"), [
      String(3 * 14),
      "1 0",
      "fuel-exhausted scale spin",
      `${3 * 14 + 1} [ 14 ]`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
