// Foreign modules (issue 14): the kernel suite built by `clang -O2` for wasm32 as shared
// libraries, run through the kernel (verified, metered by rewriting) against the same module
// unmetered and gcc -O2 native; clang's grayscale against KP-C's; and the time to verify,
// rewrite and compile a ~100 KB module. Checksums must agree across every build.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { builtinHeaders, compile } from "../cc/index.ts";
import { Kernel, type Runtime } from "../kernel/index.ts";
import { decodeDylink, instrument, verify } from "../wasm/index.ts";
import { SUITE_FUEL, SUITE_MEMORY } from "./codespeed.ts";
import { buildNative, hasCommand, nativeCompilers, runNative } from "./native.ts";
import {
  geomean,
  type MeasureOptions,
  measureEach,
  type Stat,
  sampleEach,
  summarize,
} from "./stats.ts";
import { includeDirs, type KernelSpec, kernelPath, kernelSuite } from "./suite.ts";
import type { BenchContext, BenchGroup, Cell, GroupOutput } from "./types.ts";

const SHARED = [
  "--target=wasm32-unknown-emscripten",
  "-fPIC",
  "-nostdlib",
  "-Wl,--experimental-pic",
  "-Wl,--shared",
  "-fvisibility=default",
];

/** kplug's built-in libc headers on disk, so clang compiles the kernels against kplug's libc. */
function headerDir(buildDir: string): string {
  const dir = path.join(buildDir, "kplug-include");
  for (const [name, text] of Object.entries(builtinHeaders)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

function clang(
  ctx: BenchContext,
  args: string[],
  sources: string[],
  id: string,
  dependencies: string[] = [],
): Uint8Array {
  const key = createHash("sha256");
  for (const a of args) key.update(a).update("\0");
  for (const s of [...sources, ...dependencies]) key.update(readFileSync(s)).update("\0");
  const out = path.join(ctx.buildDir, `clang-${id}-${key.digest("hex").slice(0, 16)}.wasm`);
  if (!existsSync(out)) {
    const r = spawnSync("clang", [...args, ...sources, "-o", out], { encoding: "utf8" });
    if (r.error || r.status !== 0) throw new Error(`clang ${id}: ${r.error?.message ?? r.stderr}`);
  }
  return new Uint8Array(readFileSync(out));
}

/**
 * The C signatures a kernel is linked with: its own #include lines, string.h (clang calls
 * memset/memcpy on its own) and its two entry points.
 */
function suiteHeader(source: string): string {
  const includes = source.match(/^#include <[^>]+>$/gm) ?? [];
  return `${includes.join("\n")}\n#include <string.h>\nint setup(int n);\nuint32_t run(int n);\n`;
}

interface Build {
  checksum: number;
  sample(o: MeasureOptions): number[];
}

function timed(
  id: string,
  setup: (n: number) => number,
  run: (n: number) => number,
  n: number,
): Build {
  if (setup(n) !== 0) throw new Error(`${id}: setup(${n}) failed`);
  const checksum = run(n) >>> 0;
  return {
    checksum,
    sample: (o) =>
      sampleEach(() => {
        if (run(n) >>> 0 !== checksum) throw new Error(`${id}: run() is not deterministic`);
      }, o),
  };
}

function suiteRuntime(kernel: Kernel, name: string): Runtime {
  return kernel.createRuntime(name, {
    memory: SUITE_MEMORY,
    fuel: SUITE_FUEL,
    allow: ["libc"],
    quarantine: false,
  });
}

/** The clang module through the kernel: verified, rewritten with fuel and depth, linked. */
function metered(kernel: Kernel, k: KernelSpec, bytes: Uint8Array, header: string): Build {
  const rt = suiteRuntime(kernel, `foreign-${k.id}`);
  rt.add(k.id, bytes, { header });
  return timed(`clang ${k.id}`, rt.lookup("setup"), rt.lookup("run"), k.n);
}

/** The same clang module instantiated as it is, in a kplug runtime's memory with its libc. */
function unmetered(kernel: Kernel, k: KernelSpec, bytes: Uint8Array): Build {
  const rt = suiteRuntime(kernel, `plain-${k.id}`);
  const dylink = decodeDylink(bytes)!;
  const data = rt.alloc(dylink.memorySize + dylink.memoryAlign);
  const base = Math.ceil(data.ptr / dylink.memoryAlign) * dylink.memoryAlign;
  const stack = rt.alloc(256 << 10);
  const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  const env: Record<string, unknown> = {
    memory: rt.memory,
    __memory_base: base,
    __table_base: 1,
    __stack_pointer: new WebAssembly.Global(
      { value: "i32", mutable: true },
      stack.ptr + (256 << 10),
    ),
    __indirect_function_table: new WebAssembly.Table({
      element: "anyfunc",
      initial: dylink.tableSize + 1,
    }),
  };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== "function") continue;
    const e = kernel.kernelExport(imp.name);
    if (!e) throw new Error(`clang ${k.id}: no kernel export '${imp.name}'`);
    env[imp.name] = e.fn ?? e.factory!(rt);
  }
  const ex = new WebAssembly.Instance(module, { env: env as WebAssembly.ModuleImports }).exports;
  (ex.__wasm_call_ctors as (() => void) | undefined)?.();
  // libc charges its host work to the runtime's fuel global whoever calls it; outside an upcall
  // nothing sets that global, so each call of the unmetered build fills it first (one global
  // write per kernel run, which takes milliseconds).
  const fuel = (rt as unknown as { resources: { fuel: WebAssembly.Global } }).resources.fuel;
  const refuelled =
    (f: (n: number) => number) =>
    (n: number): number => {
      fuel.value = 0x7fffffff;
      return f(n);
    };
  return timed(
    `clang ${k.id} unmetered`,
    refuelled(ex.setup as (n: number) => number),
    refuelled(ex.run as (n: number) => number),
    k.n,
  );
}

/** KP-C's metered build of a kernel (the grayscale comparison). */
function kplugBuild(kernel: Kernel, ctx: BenchContext, k: KernelSpec, source: string): Build {
  const includes: Record<string, string> = {};
  for (const [name, rel] of Object.entries(k.includes))
    includes[name] = readFileSync(path.join(ctx.root, rel), "utf8");
  const result = compile(source, { file: `${k.id}.c`, includes });
  if (!result.ok) throw new Error(`kplug ${k.id} does not compile`);
  const rt = suiteRuntime(kernel, `kplug-${k.id}`);
  rt.add(k.id, result.module);
  return timed(`kplug ${k.id}`, rt.lookup("setup"), rt.lookup("run"), k.n);
}

/** C source of roughly `kb` KB of clang output: many distinct functions with loops and calls. */
function largeSource(functions: number): string {
  const parts = ["static unsigned mix(unsigned x) { return x * 2654435761u ^ (x >> 13); }"];
  for (let i = 0; i < functions; i++) {
    parts.push(`unsigned f${i}(const unsigned char *p, int n) {
  unsigned h = ${i}u;
  for (int i = 0; i < n; i++) {
    if (p[i] & ${1 << (i % 8)}) h = mix(h + p[i] * ${i + 3}u);
    else h ^= (h << ${(i % 7) + 1}) + ${i * 31}u;
    switch ((h >> 3) & 3) { case 0: h += ${i}; break; case 1: h -= p[i]; break; default: h = mix(h); }
  }
  return h${i > 0 ? ` + f${i - 1}(p, n > 1 ? n / 2 : 0)` : ""};
}`);
  }
  return parts.join("\n");
}

function ratio(a: Stat | undefined, b: Stat | undefined): number | null {
  return a && b ? a.median / b.median : null;
}

export const foreignGroup: BenchGroup = {
  id: "foreign",
  title: "Foreign modules: clang-built WebAssembly, verified and metered by rewriting",
  description:
    "The kernel suite compiled by clang -O2 for wasm32 as shared libraries (dylink.0) against " +
    "kplug's libc headers, linked through Runtime.add (verified, fuel and depth metering " +
    "injected by wasm/instrument.ts), compared with the same module instantiated unmetered in " +
    "the same kind of runtime, with gcc -O2 native, and (grayscale) with KP-C's own build. " +
    "Then the time to verify + rewrite + compile a module of ~100 KB.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    if (!hasCommand("clang")) {
      out.unavailable.push({ part: "everything", reason: "clang is not installed" });
      return;
    }
    const gcc = nativeCompilers.find((c) => c.id === "gcc-O2")!;
    const haveGcc = hasCommand(gcc.cmd);
    if (!haveGcc) out.unavailable.push({ part: "gcc -O2", reason: "gcc is not installed" });
    const include = headerDir(ctx.buildDir);
    const driver = path.join(ctx.root, "bench", "native", "driver.c");
    const kernel = new Kernel();
    const rows: Cell[][] = [];
    const meterRatios: number[] = [];
    const nativeRatios: number[] = [];
    let grayVsKplug: number | null = null;
    for (const k of kernelSuite) {
      ctx.log(`  ${k.id}`);
      const file = kernelPath(ctx.root, k);
      const source = readFileSync(file, "utf8");
      const dirs = includeDirs(ctx.root, k);
      const args = [
        ...SHARED,
        "-O2",
        "-nostdinc",
        "-isystem",
        include,
        ...dirs.map((d) => `-I${d}`),
      ];
      const deps = Object.values(k.includes).map((p) => path.join(ctx.root, p));
      const bytes = clang(ctx, args, [file], k.id, deps);
      const builds = new Map<string, Build>();
      builds.set("metered", metered(kernel, k, bytes, suiteHeader(source)));
      builds.set("unmetered", unmetered(kernel, k, bytes));
      if (haveGcc) {
        const exe = buildNative(
          gcc,
          { driver, kernel: file, includeDirs: dirs, dependencies: deps },
          ctx.buildDir,
        );
        let checksum = 0;
        builds.set("gcc", {
          get checksum() {
            return checksum;
          },
          sample: (o) => {
            const r = runNative(exe, k.n, o);
            checksum = r.checksum;
            return r.samplesNs;
          },
        });
      }
      if (k.id === "gray1210") builds.set("kplug", kplugBuild(kernel, ctx, k, source));
      const samples = new Map<string, number[]>([...builds.keys()].map((id) => [id, []]));
      const rounds = ctx.quick ? 1 : 3;
      const per: MeasureOptions = {
        ...ctx.profile,
        budgetMs: ctx.profile.budgetMs / rounds,
        minSamples: Math.ceil(ctx.profile.minSamples / rounds),
        maxSamples: Math.ceil(ctx.profile.maxSamples / rounds),
      };
      for (let r = 0; r < rounds; r++)
        for (const [id, b] of builds) samples.get(id)!.push(...b.sample(per));
      const stats = new Map([...samples].map(([id, s]) => [id, summarize(s)]));
      const sums = new Set([...builds.values()].map((b) => b.checksum >>> 0));
      if (sums.size > 1) {
        const detail = [...builds].map(([id, b]) => `${id}=${b.checksum >>> 0}`).join(", ");
        throw new Error(`foreign ${k.id}: checksum mismatch: ${detail}`);
      }
      const m = ratio(stats.get("metered"), stats.get("unmetered"));
      const g = ratio(stats.get("metered"), stats.get("gcc"));
      if (m !== null) meterRatios.push(m);
      if (g !== null) nativeRatios.push(g);
      if (k.id === "gray1210") grayVsKplug = ratio(stats.get("metered"), stats.get("kplug"));
      rows.push([
        k.id,
        stats.get("metered")!,
        stats.get("unmetered")!,
        stats.get("gcc") ?? null,
        m,
        g,
        bytes.length,
      ]);
    }
    const meterGm = meterRatios.length ? geomean(meterRatios) : null;
    const nativeGm = nativeRatios.length ? geomean(nativeRatios) : null;
    rows.push(["geometric mean", null, null, null, meterGm, nativeGm, null]);
    out.tables.push({
      id: "foreign-suite",
      title: "Kernel suite built by clang -O2 (wasm32 shared library): run time",
      columns: [
        "Kernel",
        "clang, metered",
        "clang, unmetered",
        "gcc -O2",
        "metered ÷ unmetered",
        "metered ÷ gcc -O2",
        ".wasm bytes",
      ],
      rows,
      notes: [
        "Metered: Runtime.add(bytes) — verified, fuel (1 per loop iteration and per call, as KP-C) and call depth (recursive functions only) injected by wasm/instrument.ts, called through the upcall handle.",
        "Unmetered: the same bytes instantiated directly in a kplug runtime's memory with its libc (no verification, no fuel).",
      ],
    });

    // Verify + rewrite + compile of a ~100 KB module.
    const big = path.join(ctx.buildDir, "foreign-large.c");
    writeFileSync(big, largeSource(ctx.quick ? 400 : 400));
    const large = clang(
      ctx,
      ["--target=wasm32", "-nostdlib", "-Wl,--no-entry", "-Wl,--export-all", "-O1"],
      [big],
      "large",
    );
    const policy = { grants: [], maxMemoryPages: 1024, maxTableSize: 1 << 16 };
    const v0 = verify(large, policy);
    const rewrite = measureEach(() => instrument(verify(large, policy)), {
      ...ctx.profile,
      minSamples: 5,
    });
    const full = measureEach(() => new WebAssembly.Module(instrument(verify(large, policy)).wasm), {
      ...ctx.profile,
      minSamples: 5,
    });
    const plain = measureEach(() => new WebAssembly.Module(large as Uint8Array<ArrayBuffer>), {
      ...ctx.profile,
      minSamples: 5,
    });
    out.tables.push({
      id: "foreign-rewrite",
      title: `Verify + rewrite + compile a clang module of ${(large.length / 1024).toFixed(0)} KB (${v0.module.code.length} functions)`,
      columns: ["Step", "Time"],
      rows: [
        ["verify + rewrite", rewrite],
        ["verify + rewrite + WebAssembly.Module", full],
        ["WebAssembly.Module of the original (reference)", plain],
      ],
      notes: [
        "A module added again is taken from the kernel's cache by content hash: no rewrite, no compile.",
      ],
    });
    out.summary.push(
      {
        measure: "Foreign code (clang -O2 suite): metered ÷ unmetered, geometric mean",
        paper: "—",
        kplug: meterGm,
        peer: null,
        peerName: "",
        unit: "ratio",
        target: "≤ 1.10×",
      },
      {
        measure: "Foreign code (clang -O2 suite, metered) ÷ gcc -O2, geometric mean",
        paper: "—",
        kplug: nativeGm,
        peer: null,
        peerName: "",
        unit: "ratio",
        target: "—",
      },
      {
        measure: "Grayscale 1210x910: clang-built (metered) ÷ KP-C (metered)",
        paper: "—",
        kplug: grayVsKplug,
        peer: null,
        peerName: "",
        unit: "ratio",
        target: "—",
      },
      {
        measure: `Verify + rewrite + compile a ${(large.length / 1024).toFixed(0)} KB module`,
        paper: "—",
        kplug: full.median,
        peer: null,
        peerName: "",
        unit: "ns",
      },
    );
  },
};
