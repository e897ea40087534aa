// Generated-code quality (issue 2 §6, issue 5 item 5): the kernel suite built by kplug (fuel
// metering on and off) and by gcc -O2, gcc -O0 and tcc, each timed in-process after warm-up.
// Checksums must agree across every build; a mismatch fails the group loudly.

import { readFileSync } from "node:fs";
import path from "node:path";
import { compileOrThrow, type Kplug, loadKplug } from "./kplug.ts";
import { buildNative, hasCommand, nativeCompilers, objectTextBytes, runNative } from "./native.ts";
import { geomean, type MeasureOptions, type Stat, sampleEach, summarize } from "./stats.ts";
import { includeDirs, type KernelSpec, kernelPath, kernelSuite } from "./suite.ts";
import type { BenchContext, BenchGroup, Cell, GroupOutput } from "./types.ts";
import { codeSectionBytes } from "./wasm-size.ts";

/** Runtime limits for the suite: the sieve alone needs 10 MB; fuel must not run out. */
export const SUITE_MEMORY = 64 << 20;
export const SUITE_FUEL = 0x7fffffff;
/** Interleaved measurement rounds per kernel in a full run. */
const ROUNDS = 3;

interface KplugBuild {
  checksum: number;
  wasmBytes: number;
  codeBytes: number;
  /** Takes one round of samples (ns per run). */
  sample(opts: MeasureOptions): number[];
}

function includeSources(root: string, k: KernelSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, rel] of Object.entries(k.includes)) {
    out[name] = readFileSync(path.join(root, rel), "utf8");
  }
  return out;
}

/**
 * How kplug builds a kernel. The kernels with a <wasm_simd128.h> path (grayscale, blur, sobel)
 * are measured as the plain C gcc compiles (KPLUG_NO_INTRINSICS), auto-vectorised or not, and
 * with their intrinsics.
 */
interface KplugVariant {
  fuel: boolean;
  vectorize: boolean;
  intrinsics: boolean;
}

const hasIntrinsics = (ctx: BenchContext, k: KernelSpec) =>
  [kernelPath(ctx.root, k), ...Object.values(k.includes).map((p) => path.join(ctx.root, p))].some(
    (f) => readFileSync(f, "utf8").includes("KPLUG_NO_INTRINSICS"),
  );

function prepareKplug(kp: Kplug, ctx: BenchContext, k: KernelSpec, v: KplugVariant): KplugBuild {
  const source = readFileSync(kernelPath(ctx.root, k), "utf8");
  const module = compileOrThrow(kp.compile, source, {
    file: `${k.id}.c`,
    includes: includeSources(ctx.root, k),
    fuel: v.fuel,
    vectorize: v.vectorize,
    defines: v.intrinsics ? {} : { KPLUG_NO_INTRINSICS: "1" },
  });
  const fuel = v.fuel;
  const kernel = new kp.Kernel();
  const runtime = kernel.createRuntime(
    `suite-${k.id}-${fuel ? "fuel" : "nofuel"}-${v.vectorize}-${v.intrinsics}`,
    {
      memory: SUITE_MEMORY,
      fuel: SUITE_FUEL,
      allow: ["libc"],
    },
  );
  runtime.add(k.id, module);
  const setup = runtime.lookup("setup");
  const run = runtime.lookup("run");
  if (setup(k.n) !== 0) throw new Error(`kplug ${k.id}: setup(${k.n}) failed`);
  const checksum = run(k.n) >>> 0;
  return {
    checksum,
    wasmBytes: module.wasm.length,
    codeBytes: codeSectionBytes(module.wasm),
    sample(opts) {
      let drift = false;
      const samples = sampleEach(() => {
        if (run(k.n) >>> 0 !== checksum) drift = true;
      }, opts);
      if (drift) throw new Error(`kplug ${k.id}: run() is not deterministic`);
      return samples;
    },
  };
}

function ratio(a: Stat | undefined, b: Stat | undefined): number | null {
  return a && b ? a.median / b.median : null;
}

export const codespeedGroup: BenchGroup = {
  id: "codespeed",
  title: "Generated code: the kernel suite against gcc and tcc",
  description:
    "Each kernel in bench/kernels/ is compiled unchanged by kplug (fuel metering on, and off " +
    "with `compile(..., { fuel: false })`) and by gcc -O2, gcc -O0 and tcc (x86-64). Native " +
    "builds are timed in-process by bench/native/driver.c with clock_gettime (process start " +
    "and setup excluded); kplug builds are timed through the kernel's resolved upcall handle " +
    "(wall clock per run). Each figure is the median run after warm-up. Checksums of every " +
    "build must agree.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    const kp = await loadKplug();
    if (!kp.ok) out.unavailable.push({ part: "kplug builds", reason: kp.reason });
    const compilers = nativeCompilers.filter((c) => {
      if (hasCommand(c.cmd)) return true;
      out.unavailable.push({ part: c.label, reason: `${c.cmd} is not installed` });
      return false;
    });
    const driver = path.join(ctx.root, "bench", "native", "driver.c");

    const timeRows: Cell[][] = [];
    const sizeRows: Cell[][] = [];
    const ratios: { id: string; ratio: number }[] = [];
    const fuelRatios: number[] = [];
    const mismatches: string[] = [];

    for (const k of kernelSuite) {
      ctx.log(`  ${k.id}`);
      const file = kernelPath(ctx.root, k);
      const dirs = includeDirs(ctx.root, k);
      // Builds are measured in interleaved rounds, so that load from elsewhere on the machine
      // hits every build alike instead of skewing whichever happened to run at the time.
      const exes = compilers.map((c) =>
        buildNative(
          c,
          {
            driver,
            kernel: file,
            includeDirs: dirs,
            dependencies: Object.values(k.includes).map((p) => path.join(ctx.root, p)),
          },
          ctx.buildDir,
        ),
      );
      const builds: { id: string; sample: (o: MeasureOptions) => number[] }[] = [];
      const nativeChecksums = new Map<string, number>();
      compilers.forEach((c, i) => {
        builds.push({
          id: c.id,
          sample: (o) => {
            const r = runNative(exes[i], k.n, o);
            nativeChecksums.set(c.id, r.checksum);
            return r.samplesNs;
          },
        });
      });
      let withFuelBuild: KplugBuild | undefined;
      let noFuelBuild: KplugBuild | undefined;
      let scalarBuild: KplugBuild | undefined;
      let intrinsicsBuild: KplugBuild | undefined;
      if (kp.ok) {
        const plain = { fuel: true, vectorize: true, intrinsics: false };
        withFuelBuild = prepareKplug(kp.value, ctx, k, plain);
        noFuelBuild = prepareKplug(kp.value, ctx, k, { ...plain, fuel: false });
        scalarBuild = prepareKplug(kp.value, ctx, k, { ...plain, vectorize: false });
        builds.push({ id: "kplug", sample: (o) => withFuelBuild!.sample(o) });
        builds.push({ id: "kplug-nofuel", sample: (o) => noFuelBuild!.sample(o) });
        builds.push({ id: "kplug-novec", sample: (o) => scalarBuild!.sample(o) });
        if (hasIntrinsics(ctx, k)) {
          intrinsicsBuild = prepareKplug(kp.value, ctx, k, { ...plain, intrinsics: true });
          builds.push({ id: "kplug-simd", sample: (o) => intrinsicsBuild!.sample(o) });
        }
      }
      const rounds = ctx.quick ? 1 : ROUNDS;
      const perRound: MeasureOptions = {
        ...ctx.profile,
        budgetMs: ctx.profile.budgetMs / rounds,
        minSamples: Math.ceil(ctx.profile.minSamples / rounds),
        maxSamples: Math.ceil(ctx.profile.maxSamples / rounds),
      };
      const samples = new Map<string, number[]>(builds.map((b) => [b.id, []]));
      for (let round = 0; round < rounds; round++) {
        for (const b of builds) samples.get(b.id)!.push(...b.sample(perRound));
      }
      const stats = new Map([...samples].map(([id, s]) => [id, summarize(s)]));
      const native = new Map<string, { stat: Stat; checksum: number; text: number }>();
      for (const c of compilers) {
        const text = objectTextBytes(c, file, dirs, ctx.buildDir);
        native.set(c.id, { stat: stats.get(c.id)!, checksum: nativeChecksums.get(c.id)!, text });
      }
      const withFuel = withFuelBuild && { ...withFuelBuild, stat: stats.get("kplug")! };
      const noFuel = noFuelBuild && { ...noFuelBuild, stat: stats.get("kplug-nofuel")! };
      const noVec = scalarBuild && { ...scalarBuild, stat: stats.get("kplug-novec")! };
      const simd = intrinsicsBuild && { ...intrinsicsBuild, stat: stats.get("kplug-simd")! };
      const checksums = new Map<string, number>();
      for (const [id, r] of native) checksums.set(id, r.checksum);
      if (withFuel) checksums.set("kplug", withFuel.checksum);
      if (noFuel) checksums.set("kplug (no fuel)", noFuel.checksum);
      if (noVec) checksums.set("kplug (no vectorize)", noVec.checksum);
      if (simd) checksums.set("kplug (intrinsics)", simd.checksum);
      const distinct = new Set(checksums.values());
      if (distinct.size > 1) {
        const detail = [...checksums].map(([id, c]) => `${id}=${c}`).join(", ");
        mismatches.push(`${k.id}: ${detail}`);
        ctx.log(`  CHECKSUM MISMATCH ${k.id}: ${detail}`);
      }
      const gccO2 = native.get("gcc-O2")?.stat;
      const r = ratio(withFuel?.stat, gccO2);
      if (r !== null) ratios.push({ id: k.id, ratio: r });
      const f = ratio(withFuel?.stat, noFuel?.stat);
      if (f !== null) fuelRatios.push(f);
      timeRows.push([
        k.id,
        k.what,
        gccO2 ?? null,
        withFuel?.stat ?? null,
        noFuel?.stat ?? null,
        noVec?.stat ?? null,
        simd?.stat ?? null,
        native.get("gcc-O0")?.stat ?? null,
        native.get("tcc")?.stat ?? null,
        r,
        f === null ? null : `${((f - 1) * 100).toFixed(1)} %`,
        distinct.size > 1 ? "MISMATCH" : `0x${[...distinct][0]?.toString(16).padStart(8, "0")}`,
      ]);
      sizeRows.push([
        k.id,
        withFuel?.wasmBytes ?? null,
        withFuel?.codeBytes ?? null,
        noFuel?.codeBytes ?? null,
        native.get("gcc-O2")?.text ?? null,
        native.get("gcc-O0")?.text ?? null,
        native.get("tcc")?.text ?? null,
      ]);
    }

    const gm = ratios.length === kernelSuite.length ? geomean(ratios.map((r) => r.ratio)) : null;
    const fuelGm = fuelRatios.length === kernelSuite.length ? geomean(fuelRatios) : null;
    timeRows.push([
      "geometric mean",
      "",
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      gm,
      fuelGm === null ? null : `${((fuelGm - 1) * 100).toFixed(1)} %`,
      mismatches.length ? "MISMATCH" : "all agree",
    ]);
    out.tables.push({
      id: "codespeed-time",
      title: "Run time per kernel (median, interquartile range)",
      columns: [
        "Kernel",
        "Work",
        "gcc -O2",
        "kplug",
        "kplug, no fuel",
        "kplug, --no-vectorize",
        "kplug, intrinsics",
        "gcc -O0",
        "tcc",
        "kplug ÷ gcc -O2",
        "fuel overhead",
        "checksum",
      ],
      rows: timeRows,
      notes: [
        "kplug runs with fuel metering unless stated; its time includes the upcall gate (fuel reset, fault guard).",
        "kplug compiles the same plain C as gcc (-DKPLUG_NO_INTRINSICS: grayscale, blur and sobel leave out their <wasm_simd128.h> path), auto-vectorised unless `--no-vectorize`; `intrinsics` is the build with that path.",
        "gcc builds use -ffp-contract=off so floating-point results match wasm's (no fused multiply-add).",
      ],
    });
    out.tables.push({
      id: "codespeed-size",
      title: "Code size (bytes)",
      columns: [
        "Kernel",
        "kplug .wasm (whole module)",
        "kplug code section",
        "kplug code, no fuel",
        "gcc -O2 .text",
        "gcc -O0 .text",
        "tcc .text",
      ],
      rows: sizeRows,
      notes: [
        "The whole module includes imports, exports and kplug's metadata section; the code section is the functions alone. Native sizes are x86-64 .text of the kernel object file.",
      ],
    });
    if (ratios.length > 0) {
      out.charts.push({
        id: "codespeed-ratio",
        title: "kplug run time ÷ gcc -O2 (lower is better; 1 = native speed)",
        kind: "bar",
        xLabel: "kernel",
        yLabel: "kplug ÷ gcc -O2 (median run time)",
        yUnit: "number",
        categories: ratios.map((r) => r.id),
        series: [{ name: "ratio", points: ratios.map((r, i) => [i, r.ratio]) }],
      });
    }
    const gray = ratios.find((r) => r.id === "gray1210");
    out.summary.push(
      {
        measure: "Grayscale plugin, 1210x910: run time ÷ gcc -O2",
        paper: "—",
        kplug: gray?.ratio ?? null,
        peer: null,
        peerName: "",
        unit: "ratio",
        target: "≤ 1.0×",
      },
      {
        measure: `Kernel suite (${kernelSuite.length} kernels): geometric mean ÷ gcc -O2`,
        paper: "—",
        kplug: gm,
        peer: null,
        peerName: "",
        unit: "ratio",
        target: "≤ 1.5×",
      },
      {
        measure: "Fuel metering overhead (suite geometric mean)",
        paper: "— (timer preemption)",
        kplug: fuelGm === null ? null : (fuelGm - 1) * 100,
        peer: null,
        peerName: "",
        unit: "percent",
        target: "≤ 5 %",
      },
    );
    if (mismatches.length > 0) {
      throw new Error(`checksum mismatch between builds: ${mismatches.join("; ")}`);
    }
  },
};
