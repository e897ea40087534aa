// Code generation (issue 2 §6, issue 5 item 3): source to runnable code for the paper's 66-line
// grayscale plugin and a ~1,000-line plugin. kplug: compile, V8 compile, link + first call;
// cold (first compile in a fresh process) and warm (median). Native: tcc -c, gcc -O0 -c and
// gcc -O2 -c on the same file, spawned per run, so process start is part of their figure (a
// spawn of /bin/true is measured alongside to show how much).

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { compileOrThrow, type Kplug, loadCompiler, loadKplug } from "./kplug.ts";
import { hasCommand } from "./native.ts";
import { measureBatched, measureEach, type Stat, summarize } from "./stats.ts";
import type { BenchContext, BenchGroup, Cell, GroupOutput } from "./types.ts";

interface Subject {
  id: string;
  label: string;
  file: string;
}

function subjects(root: string): Subject[] {
  return [
    {
      id: "grayscale",
      label: "plugins/grayscale.c",
      file: path.join(root, "plugins", "grayscale.c"),
    },
    {
      id: "big_plugin",
      label: "bench/plugins/big_plugin.c",
      file: path.join(root, "bench", "plugins", "big_plugin.c"),
    },
  ];
}

const NATIVE = [
  { label: "tcc -c", cmd: "tcc", args: ["-c"] },
  { label: "gcc -O0 -c", cmd: "gcc", args: ["-O0", "-c"] },
  { label: "gcc -O2 -c", cmd: "gcc", args: ["-O2", "-c"] },
];

function lineCount(text: string): number {
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** Spawns `cmd args` once per sample and times it (the spawn is part of the figure). */
function timeSpawn(ctx: BenchContext, cmd: string, args: string[]): Stat {
  const opts = ctx.quick
    ? { ...ctx.profile, warmupMs: 0, budgetMs: 0, minSamples: 2 }
    : { ...ctx.profile, warmupMs: 50, budgetMs: 1500, minSamples: 5 };
  return measureEach(() => {
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
  }, opts);
}

/** The first compile in a fresh Node process, repeated in several processes. */
function coldCompile(ctx: BenchContext, file: string): { compile: Stat; v8: Stat } {
  const runs = ctx.quick ? 1 : 5;
  const compile: number[] = [];
  const v8: number[] = [];
  const script = path.join(ctx.root, "bench", "codegen-cold.ts");
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ["--import", "tsx", script, file], {
      cwd: ctx.root,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`cold compile failed: ${r.stderr.trim().split("\n")[0]}`);
    const parsed = JSON.parse(r.stdout) as { compileNs: number; v8Ns: number };
    compile.push(parsed.compileNs);
    v8.push(parsed.v8Ns);
  }
  return { compile: summarize(compile), v8: summarize(v8) };
}

/**
 * V8 caches compiled wasm by the bytes' hash, so compiling the same module twice costs almost
 * nothing the second time. Appending a custom section with a counter makes every copy new to
 * V8 (what a server sees when clients upload different plugins) without changing the code.
 */
function uncached(wasm: Uint8Array, counter: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(wasm.length + 8);
  out.set(wasm);
  // section id 0 (custom), size 6, name length 1, name "n", 4-byte counter
  out.set([0, 6, 1, 0x6e], wasm.length);
  new DataView(out.buffer).setUint32(wasm.length + 4, counter, true);
  return out;
}

let uniqueCounter = 0;

interface KplugFigures {
  cold: { compile: Stat; v8: Stat } | null;
  compile: Stat;
  v8: Stat;
  total: Stat;
  linkAndCall: Stat | null;
  wasmBytes: number;
}

function measureKplug(
  ctx: BenchContext,
  compile: Kplug["compile"],
  kp: Kplug | null,
  s: Subject,
  out: GroupOutput,
): KplugFigures {
  const source = readFileSync(s.file, "utf8");
  const file = path.basename(s.file);
  let cold: KplugFigures["cold"] = null;
  try {
    cold = coldCompile(ctx, s.file);
  } catch (e) {
    out.unavailable.push({ part: `cold compile of ${s.label}`, reason: String(e) });
  }
  const module = compileOrThrow(compile, source, { file });
  const profile = ctx.profile;
  const compileStat = measureBatched((n) => {
    for (let i = 0; i < n; i++) compile(source, { file });
  }, profile);
  const v8 = measureBatched((n) => {
    for (let i = 0; i < n; i++) new WebAssembly.Module(uncached(module.wasm, uniqueCounter++));
  }, profile);
  const total = measureBatched((n) => {
    for (let i = 0; i < n; i++) {
      const r = compile(source, { file });
      if (r.ok) new WebAssembly.Module(uncached(r.module.wasm, uniqueCounter++));
    }
  }, profile);
  let linkAndCall: Stat | null = null;
  if (kp && s.id === "grayscale") {
    // Link a fresh copy and make the first call (a 1x1 image), then unlink: what a server pays
    // between receiving compiled code and running it.
    const kernel = new kp.Kernel();
    const runtime = kernel.createRuntime("codegen", {});
    const buf = runtime.alloc(8);
    let i = 0;
    linkAndCall = measureEach(() => {
      const name = `g${i++}`;
      runtime.add(name, module);
      runtime.call("grayscale", buf.ptr, buf.ptr + 4, 1, 1, 3);
      runtime.remove(name);
    }, profile);
  }
  return { cold, compile: compileStat, v8, total, linkAndCall, wasmBytes: module.wasm.length };
}

export const codegenGroup: BenchGroup = {
  id: "codegen",
  title: "Code generation: source to runnable code",
  description:
    "Time from C source to code ready to run, for the paper's grayscale plugin and a " +
    "~1,000-line image library. kplug runs in-process: its compiler (`compile`), then V8's " +
    "`new WebAssembly.Module` (Liftoff baseline code; TurboFan tiers up hot functions later, in " +
    "the background; each module is made unique so V8's compiled-module cache cannot answer). Cold is the first compile in a fresh Node process (module loading " +
    "excluded), median over several processes; warm is the median in a long-running process. " +
    "The native compilers are separate programs, so each run is a process spawn writing an " +
    "object file; a spawn of /bin/true shows the share of process creation.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    const compiler = await loadCompiler();
    if (!compiler.ok) out.unavailable.push({ part: "kplug", reason: compiler.reason });
    const kp = await loadKplug();
    if (!kp.ok) out.unavailable.push({ part: "kplug link + first call", reason: kp.reason });
    const natives = NATIVE.filter((n) => {
      if (hasCommand(n.cmd)) return true;
      out.unavailable.push({ part: n.label, reason: `${n.cmd} is not installed` });
      return false;
    });
    const objPath = path.join(ctx.buildDir, "codegen.o");
    const spawnBaseline = timeSpawn(ctx, "/bin/true", []);
    const rows: Cell[][] = [];
    let grayKplug: KplugFigures | undefined;
    let grayBestNative: { label: string; stat: Stat } | undefined;
    for (const s of subjects(ctx.root)) {
      ctx.log(`  ${s.label}`);
      const lines = lineCount(readFileSync(s.file, "utf8"));
      const name = `${s.label} (${lines} lines)`;
      if (compiler.ok) {
        try {
          const f = measureKplug(ctx, compiler.value, kp.ok ? kp.value : null, s, out);
          if (s.id === "grayscale") grayKplug = f;
          rows.push(
            [name, "kplug compile()", f.cold?.compile ?? null, f.compile, f.wasmBytes],
            [name, "V8 new WebAssembly.Module", f.cold?.v8 ?? null, f.v8, null],
            [name, "kplug compile + V8 compile", null, f.total, null],
          );
          if (f.linkAndCall)
            rows.push([name, "kplug link + first call + unlink", null, f.linkAndCall, null]);
        } catch (e) {
          out.unavailable.push({ part: `kplug on ${s.label}`, reason: String(e) });
        }
      }
      for (const n of natives) {
        const stat = timeSpawn(ctx, n.cmd, [...n.args, s.file, "-o", objPath]);
        rows.push([name, `${n.label} (process spawn included)`, null, stat, null]);
        if (s.id === "grayscale" && (!grayBestNative || stat.median < grayBestNative.stat.median)) {
          grayBestNative = { label: n.label, stat };
        }
      }
    }
    rows.push(["—", "spawn of /bin/true (for reference)", null, spawnBaseline, null]);
    out.tables.push({
      id: "codegen",
      title: "Source to code (median; interquartile range in small print)",
      columns: ["Plugin", "Step", "cold (first in a fresh process)", "warm", "wasm bytes"],
      rows,
      notes: [
        "Native compilers write an x86-64 object file and exit; kplug's output is a wasm module V8 has compiled and can instantiate. Neither figure includes loading the compiler itself.",
      ],
    });
    const chartRows = rows.filter((r) => typeof r[0] === "string" && r[0].startsWith("plugins/"));
    out.charts.push({
      id: "codegen-grayscale",
      title: "Code generation, plugins/grayscale.c (warm median, log scale)",
      kind: "bar",
      xLabel: "",
      yLabel: "time (log scale)",
      yUnit: "ns",
      logY: true,
      categories: chartRows.map((r) => String(r[1])),
      series: [
        {
          name: "warm",
          points: chartRows.map((r, i): [number, number] => [i, (r[3] as Stat).median]),
        },
      ],
    });
    out.summary.push({
      measure: "Code generation, 66-line grayscale plugin (compile + V8, warm)",
      paper: "4 ms",
      kplug: grayKplug?.total.median ?? null,
      peer: grayBestNative?.stat.median ?? null,
      peerName: grayBestNative ? `${grayBestNative.label}, spawn incl.` : "",
      unit: "ns",
      target: "≤ 0.2 ms",
    });
    // The two halves of the figure above: kplug's own compiler, and V8 turning its wasm into
    // machine code (which kplug does not control).
    out.summary.push({
      measure: "  of which kplug compile() alone (source to wasm bytes)",
      paper: "—",
      kplug: grayKplug?.compile.median ?? null,
      peer: null,
      peerName: "",
      unit: "ns",
    });
    out.summary.push({
      measure: "  of which V8 new WebAssembly.Module (wasm to machine code)",
      paper: "—",
      kplug: grayKplug?.v8.median ?? null,
      peer: null,
      peerName: "",
      unit: "ns",
    });
    if (grayKplug?.cold) {
      out.summary.push({
        measure: "Code generation, grayscale plugin, cold (first in a fresh process)",
        paper: "4 ms",
        kplug: grayKplug.cold.compile.median + grayKplug.cold.v8.median,
        peer: grayBestNative?.stat.median ?? null,
        peerName: grayBestNative ? `${grayBestNative.label}, spawn incl.` : "",
        unit: "ns",
      });
    }
  },
};
