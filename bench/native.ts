// Native baselines: builds a kernel with gcc or tcc (cached by source hash) and runs the
// in-process timing driver (bench/native/driver.c), which reports per-run samples and the
// kernel's checksum. Also measures compiler invocations and object code size.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { MeasureOptions } from "./stats.ts";

export interface NativeCompiler {
  id: string;
  label: string;
  cmd: string;
  args: string[];
}

// -ffp-contract=off: wasm has no fused multiply-add, so both sides round the same way and the
// matrix checksum agrees.
export const nativeCompilers: NativeCompiler[] = [
  { id: "gcc-O2", label: "gcc -O2", cmd: "gcc", args: ["-O2", "-std=gnu99", "-ffp-contract=off"] },
  { id: "gcc-O0", label: "gcc -O0", cmd: "gcc", args: ["-O0", "-std=gnu99"] },
  { id: "tcc", label: "tcc", cmd: "tcc", args: [] },
];

export function hasCommand(cmd: string): boolean {
  return !spawnSync(cmd, ["--version"], { stdio: "ignore" }).error;
}

function hashOf(parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
}

export interface NativeSources {
  driver: string;
  kernel: string;
  includeDirs: string[];
  /** Files the kernel includes (part of the cache key). */
  dependencies: string[];
}

/** Builds driver + kernel into an executable (reused while sources and flags are unchanged). */
export function buildNative(
  compiler: NativeCompiler,
  src: NativeSources,
  buildDir: string,
): string {
  const { driver: driverFile, kernel: kernelFile, includeDirs } = src;
  const sources = [driverFile, kernelFile, ...src.dependencies];
  const texts = sources.map((f) => readFileSync(f, "utf8"));
  const key = hashOf([compiler.cmd, ...compiler.args, ...texts]);
  const exe = path.join(buildDir, `${compiler.id}-${path.basename(kernelFile, ".c")}-${key}`);
  if (existsSync(exe)) return exe;
  const args = [
    ...compiler.args,
    ...includeDirs.map((d) => `-I${d}`),
    driverFile,
    kernelFile,
    "-o",
    exe,
  ];
  const r = spawnSync(compiler.cmd, args, { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error(`${compiler.label} failed on ${kernelFile}: ${r.error?.message ?? r.stderr}`);
  }
  return exe;
}

export interface NativeRun {
  checksum: number;
  samplesNs: number[];
}

/** Runs a driver: setup(n), a warm-up, then timed run(n) calls. */
export function runNative(exe: string, n: number, opts: MeasureOptions): NativeRun {
  const args = [n, opts.warmupMs, opts.budgetMs, opts.minSamples, opts.maxSamples].map(String);
  const r = spawnSync(exe, args, { encoding: "utf8", maxBuffer: 16 << 20 });
  if (r.error || r.status !== 0) {
    throw new Error(`${path.basename(exe)} failed: ${r.error?.message ?? r.stderr.trim()}`);
  }
  const parsed = JSON.parse(r.stdout) as { checksum: number; samples_ns: number[] };
  return { checksum: parsed.checksum >>> 0, samplesNs: parsed.samples_ns };
}

/** Bytes of machine code (.text) in an object file built from `file`. */
export function objectTextBytes(
  compiler: NativeCompiler,
  file: string,
  includeDirs: string[],
  buildDir: string,
): number {
  const obj = path.join(buildDir, `${compiler.id}-${path.basename(file, ".c")}.o`);
  const r = spawnSync(
    compiler.cmd,
    [...compiler.args, ...includeDirs.map((d) => `-I${d}`), "-c", file, "-o", obj],
    { encoding: "utf8" },
  );
  if (r.error || r.status !== 0) throw new Error(`${compiler.label} -c ${file}: ${r.stderr}`);
  const size = spawnSync("size", ["-A", obj], { encoding: "utf8" });
  let text = 0;
  for (const line of size.stdout.split("\n")) {
    const m = /^\.text\S*\s+(\d+)/.exec(line);
    if (m) text += Number(m[1]);
  }
  return text;
}
