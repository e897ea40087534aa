// Child process for the compile-speed group: compiles one generated source `runs` times, with
// the default limits, in a fresh process and prints one JSON line: each compile's wall time,
// the wasm size and the process's peak RSS above what it held before the first compile (a
// fresh process per file, so one source's garbage never counts against another).
// usage: node --import tsx bench/compile-speed-child.ts FILE.c RUNS

import { readFileSync } from "node:fs";
import path from "node:path";
import { compile } from "../cc/compile.ts";

const file = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
const source = readFileSync(file, "utf8");

const rssBefore = process.memoryUsage().rss;
const compileNs: number[] = [];
let wasmBytes = 0;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const result = compile(source, { file: path.basename(file) });
  compileNs.push((performance.now() - t0) * 1e6);
  if (!result.ok) {
    process.stderr.write(`${result.diagnostics.map((d) => d.message).join("\n")}\n`);
    process.exit(1);
  }
  wasmBytes = result.module.wasm.length;
}
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(
  `${JSON.stringify({ compileNs, wasmBytes, peakRssBytes: peakRss - rssBefore })}\n`,
);
