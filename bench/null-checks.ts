// The cost of null checks (cc/null-checks.ts): every kernel of the suite built twice by kplug,
// fuel metering on in both, with and without `nullChecks`, timed in the same process in
// interleaved rounds (the order alternates) so that load from elsewhere hits both alike.
// Run: npx tsx bench/null-checks.ts [rounds] [kernel ids...]
// Prints each kernel's medians, their ratio, and the geometric mean of the ratios.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../cc/index.ts";
import { Kernel } from "../kernel/index.ts";
import { SUITE_FUEL, SUITE_MEMORY } from "./codespeed.ts";
import { geomean, sampleEach } from "./stats.ts";
import { kernelPath, kernelSuite } from "./suite.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 6);
const only = process.argv.slice(3);

function build(id: string, n: number, includes: Record<string, string>, nullChecks: boolean) {
  const source = readFileSync(kernelPath(root, { id, what: "", n, includes }), "utf8");
  const inc: Record<string, string> = {};
  for (const [name, rel] of Object.entries(includes)) {
    inc[name] = readFileSync(path.join(root, rel), "utf8");
  }
  const r = compile(source, { file: `${id}.c`, includes: inc, nullChecks });
  if (!r.ok) throw new Error(`${id}: ${JSON.stringify(r.diagnostics)}`);
  const kernel = new Kernel();
  const rt = kernel.createRuntime(`${id}-${nullChecks}`, {
    memory: SUITE_MEMORY,
    fuel: SUITE_FUEL,
    allow: ["libc"],
  });
  rt.add(id, r.module);
  if (rt.lookup("setup")(n) !== 0) throw new Error(`${id}: setup failed`);
  const run = rt.lookup("run");
  return { checksum: run(n) >>> 0, run: () => run(n), bytes: r.module.wasm.length };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const ratios: number[] = [];
for (const k of kernelSuite) {
  if (only.length > 0 && !only.includes(k.id)) continue;
  const on = build(k.id, k.n, k.includes, true);
  const off = build(k.id, k.n, k.includes, false);
  if (on.checksum !== off.checksum) throw new Error(`${k.id}: checksums differ`);
  const a: number[] = [];
  const b: number[] = [];
  const opts = { warmupMs: 100, budgetMs: 250, minSamples: 5, maxSamples: 500, minSampleUs: 250 };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      a.push(...sampleEach(on.run, opts));
      b.push(...sampleEach(off.run, opts));
    } else {
      b.push(...sampleEach(off.run, opts));
      a.push(...sampleEach(on.run, opts));
    }
  }
  const ratio = median(a) / median(b);
  ratios.push(ratio);
  console.log(
    `${k.id.padEnd(9)} checks ${(median(a) / 1e6).toFixed(3)} ms  none ${(median(b) / 1e6).toFixed(3)} ms  ` +
      `ratio ${ratio.toFixed(4)}  wasm ${on.bytes} / ${off.bytes} bytes`,
  );
}
console.log(`geometric mean ratio ${geomean(ratios).toFixed(4)}`);
