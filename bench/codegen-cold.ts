// Child process for the code-generation group: times the very first compile in a fresh
// process (after the compiler's modules are loaded), so "cold" means cold JIT, cold caches.
// usage: node --import tsx bench/codegen-cold.ts FILE.c   → one JSON line on stdout

import { readFileSync } from "node:fs";
import path from "node:path";
import { compile } from "../cc/compile.ts";

const file = process.argv[2];
const source = readFileSync(file, "utf8");
const t0 = performance.now();
const result = compile(source, { file: path.basename(file) });
const t1 = performance.now();
if (!result.ok) {
  process.stderr.write(`${result.diagnostics.map((d) => d.message).join("\n")}\n`);
  process.exit(1);
}
new WebAssembly.Module(result.module.wasm);
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ compileNs: (t1 - t0) * 1e6, v8Ns: (t2 - t1) * 1e6 })}\n`);
