// The cost of null checks (cc/null-checks.ts): every kernel of the suite built by kplug with
// fuel metering, with and without `nullChecks`. Each measurement runs in a fresh process (in
// one process the build instantiated first ran up to 25 % slower than an identical second
// one), the two variants alternate, and each kernel's figure is the median over `reps`
// processes of each process's fastest batch, in CPU time.
// Run: npx tsx bench/null-checks.ts [reps] [kernel ids...]

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../cc/index.ts";
import { Kernel } from "../kernel/index.ts";
import { SUITE_FUEL, SUITE_MEMORY } from "./codespeed.ts";
import { geomean } from "./stats.ts";
import { kernelPath, kernelSuite } from "./suite.ts";

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), "..");

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One variant of one kernel in this process: prints `median-ns checksum wasm-bytes`. */
function child(id: string, nullChecks: boolean): void {
  const k = kernelSuite.find((x) => x.id === id)!;
  const source = readFileSync(kernelPath(root, k), "utf8");
  const includes: Record<string, string> = {};
  for (const [name, rel] of Object.entries(k.includes)) {
    includes[name] = readFileSync(path.join(root, rel), "utf8");
  }
  const r = compile(source, { file: `${id}.c`, includes, nullChecks });
  if (!r.ok) throw new Error(`${id}: ${JSON.stringify(r.diagnostics)}`);
  const rt = new Kernel().createRuntime(id, {
    memory: SUITE_MEMORY,
    fuel: SUITE_FUEL,
    allow: ["libc"],
  });
  rt.add(id, r.module);
  if (rt.lookup("setup")(k.n) !== 0) throw new Error(`${id}: setup failed`);
  const run = rt.lookup("run");
  const checksum = run(k.n) >>> 0;
  // CPU time, not wall time, and the fastest batch: on a loaded machine (2 cores, load average
  // 20-30) wall-clock samples of one build varied 5x; the process's own CPU time does not count
  // the time it waits for a core.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) * 1e3;
  };
  const warmEnd = Date.now() + 300;
  while (Date.now() < warmEnd) run(k.n);
  let batch = 1;
  const samples: number[] = [];
  const end = Date.now() + 3000;
  while (samples.length < 5 || (Date.now() < end && samples.length < 200)) {
    const t0 = cpu();
    for (let i = 0; i < batch; i++) run(k.n);
    const took = cpu() - t0;
    if (took < 50e6 && samples.length === 0) {
      batch *= 2;
      continue;
    }
    samples.push(took / batch);
  }
  console.log(`${Math.min(...samples)} ${checksum} ${r.module.wasm.length}`);
}

function measure(id: string, nullChecks: boolean) {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", here, "--child", id, nullChecks ? "on" : "off"],
    { encoding: "utf8" },
  );
  const [ns, checksum, bytes] = out.trim().split(" ").map(Number);
  return { ns: ns!, checksum: checksum!, bytes: bytes! };
}

if (process.argv[2] === "--child") {
  child(process.argv[3]!, process.argv[4] === "on");
} else {
  const reps = Number(process.argv[2] ?? 5);
  const only = process.argv.slice(3);
  const ratios: number[] = [];
  for (const k of kernelSuite) {
    if (only.length > 0 && !only.includes(k.id)) continue;
    const on: number[] = [];
    const off: number[] = [];
    const bytes = [0, 0];
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? [true, false] : [false, true];
      for (const checks of order) {
        const m = measure(k.id, checks);
        (checks ? on : off).push(m.ns);
        bytes[checks ? 0 : 1] = m.bytes;
      }
    }
    const ratio = median(on) / median(off);
    ratios.push(ratio);
    console.log(
      `${k.id.padEnd(9)} checks ${(median(on) / 1e6).toFixed(3)} ms  none ${(median(off) / 1e6).toFixed(3)} ms  ` +
        `ratio ${ratio.toFixed(4)}  wasm ${bytes[0]} / ${bytes[1]} bytes`,
    );
  }
  console.log(`geometric mean ratio ${geomean(ratios).toFixed(4)} (${reps} processes per variant)`);
}
