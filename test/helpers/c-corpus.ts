// The repository's own C files as a corpus for tests that compile every source two ways and
// compare (data runs, packed macro bodies): the files, the headers the test programs include,
// and what a compile produced in comparable form.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { compile } from "../../cc/compile.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function cFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...cFiles(path));
    else if (name.endsWith(".c")) out.push(path);
  }
  return out;
}

function headers(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".h")) out[name] = readFileSync(join(dir, name), "utf8");
  }
  return out;
}

/** Every C file under test/programs, test/invalid, plugins and bench, and the test headers. */
export function repositoryCFiles(): { files: string[]; includes: Record<string, string> } {
  return {
    files: ["test/programs", "test/invalid", "plugins", "bench"].flatMap((d) =>
      cFiles(join(ROOT, d)),
    ),
    includes: headers(join(ROOT, "test", "programs", "include")),
  };
}

/**
 * `repositoryCFiles` read, named relative to the repository, without the files whose output
 * depends on the clock (__DATE__/__TIME__ may tick between two compiles).
 */
export function comparableSources(): {
  sources: { name: string; source: string }[];
  includes: Record<string, string>;
} {
  const { files, includes } = repositoryCFiles();
  const sources = files
    .map((path) => ({ name: path.slice(ROOT.length + 1), source: readFileSync(path, "utf8") }))
    .filter(({ source }) => !/__TIME__|__DATE__/.test(source));
  return { sources, includes };
}

/** What a compile produced, for comparison: diagnostics and the module's bytes. */
export function compileOutcome(r: ReturnType<typeof compile>) {
  return {
    diagnostics: r.diagnostics.map(
      (d) => `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`,
    ),
    wasm: r.ok ? Buffer.from(r.module.wasm).toString("base64") : null,
  };
}
