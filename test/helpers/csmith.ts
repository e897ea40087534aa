// csmith as a differential fuzzer: generate a random program for a seed, run it under the gcc
// oracle (gcc -m32 with KP-C's ABI flags, under qemu-i386 where needed) and through kplug, and
// classify the outcome. Used by test/csmith.test.ts (a fixed set of seeds) and by
// scripts/csmith-run.ts (long runs, with creduce on a mismatch).

import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CompiledModule, compile } from "../../cc/index.ts";
import { runProgram } from "../../kernel/program.ts";

/** Where Debian's libcsmith-dev puts csmith.h and the headers it includes. */
export const CSMITH_INCLUDE = "/usr/include/csmith";

export const GCC_FLAGS = ["-m32", "-msse2", "-mfpmath=sse", "-malign-double", "-fwrapv", "-O1"];

/**
 * csmith's defaults without bit-fields and `#pragma pack` (KP-C has no `#pragma pack`): the
 * seeds of the fixed set were chosen under these flags. `bitFields` runs turn bit-fields on.
 */
export const CSMITH_FLAGS = ["--no-bitfields", "--no-packed-struct"];
const BIT_FIELD_FLAGS = ["--no-packed-struct"];

/**
 * csmith's statement probabilities with `goto` made common (its default: 50 of the cumulative
 * 100-scale, drawn after the other kinds): more jumps into and out of nested blocks.
 */
const GOTO_HEAVY_PROBABILITIES = `[statement_prob,statement_assign_prob=100,statement_block_prob=0,statement_for_prob=30,statement_ifelse_prob=15,statement_return_prob=35,statement_continue_prob=40,statement_break_prob=45,statement_goto_prob=90,statement_arrayop_prob=60]
`;

export type CsmithOutcome =
  /** Same stdout and exit status under gcc and kplug. */
  | { kind: "match" }
  /** kplug refused the program (its first error). */
  | { kind: "rejected"; error: string }
  /** Different behaviour: a compiler bug (or a csmith program outside C's defined behaviour). */
  | { kind: "mismatch"; expected: string; got: string }
  /** kplug ran out of fuel where gcc finished. */
  | { kind: "fuel" }
  /** The oracle could not judge (csmith or gcc failed, or the gcc build ran too long). */
  | { kind: "skipped"; why: string };

export interface CsmithProgram {
  seed: number;
  gotoHeavy: boolean;
  source: string;
}

export function csmithAvailable(): string | undefined {
  // cwd: even --version writes platform.info where csmith runs
  const r = spawnSync("csmith", ["--version"], { encoding: "utf8", cwd: tmpdir() });
  if (r.error || r.status !== 0) return "csmith is not installed (apt-get install csmith)";
  try {
    statSync(join(CSMITH_INCLUDE, "csmith.h"));
  } catch {
    return `${CSMITH_INCLUDE}/csmith.h is missing (apt-get install libcsmith-dev)`;
  }
  return undefined;
}

/** csmith.h and every header it includes, for `#include "..."` in kplug. */
export function csmithIncludes(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
      else if (e.name.endsWith(".h"))
        out[prefix + e.name] = readFileSync(join(dir, e.name), "utf8");
    }
  };
  walk(CSMITH_INCLUDE, "");
  // csmith.h includes <float.h> for two limits; a built-in <float.h> takes precedence.
  out["float.h"] =
    "#define FLT_MAX 3.40282346638528859812e+38F\n#define DBL_MAX 1.79769313486231570815e+308\n";
  return out;
}

interface Proc {
  code: number;
  stdout: string;
  stderr: string;
  /** Set when the process could not start or was killed (timeout). */
  error?: string;
}

/** Runs a command without blocking the event loop; never rejects. */
function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; timeoutMs: number },
): Promise<Proc> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs, maxBuffer: 64 << 20, encoding: "utf8" },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | string; killed?: boolean }) | null;
        const code = typeof e?.code === "number" ? e.code : e ? 128 : 0;
        const failed = e && (e.killed || typeof e.code !== "number") ? e.message : undefined;
        resolve({ code, stdout, stderr, ...(failed ? { error: failed } : {}) });
      },
    );
  });
}

/** A FIFO pool: at most `size` jobs in flight. */
export function pool(size: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= size) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export async function generate(
  seed: number,
  gotoHeavy: boolean,
  dir: string,
  bitFields = false,
): Promise<CsmithProgram> {
  const out = join(dir, `csmith-${seed}${gotoHeavy ? "-goto" : ""}${bitFields ? "-bits" : ""}.c`);
  const flags = bitFields ? BIT_FIELD_FLAGS : CSMITH_FLAGS;
  const args = ["--seed", String(seed), ...flags, "-o", out];
  if (gotoHeavy) {
    const probs = join(dir, "goto-heavy.prob");
    writeFileSync(probs, GOTO_HEAVY_PROBABILITIES);
    args.push("--probability-configuration", probs);
  }
  // cwd: csmith writes platform.info where it runs
  const r = await run("csmith", args, { cwd: dir, timeoutMs: 300_000 });
  if (r.error || r.code !== 0)
    throw new Error(`csmith --seed ${seed} failed: ${r.error ?? r.stderr}`);
  return { seed, gotoHeavy, source: readFileSync(out, "utf8") };
}

let runner: Promise<string[]> | undefined;

/** How 32-bit binaries run here: natively or under qemu-i386. */
function i386Runner(): Promise<string[]> {
  runner ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "kplug-csmith-probe-"));
    try {
      const src = join(dir, "probe.c");
      const exe = join(dir, "probe");
      writeFileSync(src, "int main(void) { return 3; }\n");
      const cc = await run("gcc", [...GCC_FLAGS, "-o", exe, src], { timeoutMs: 120_000 });
      if (cc.code !== 0) throw new Error(`gcc -m32 cannot build programs: ${cc.stderr}`);
      for (const prefix of [[], ["qemu-i386"]]) {
        const [cmd, ...rest] = [...prefix, exe];
        if ((await run(cmd!, rest, { timeoutMs: 60_000 })).code === 3) return prefix;
      }
      throw new Error("gcc -m32 binaries cannot run here, natively or under qemu-i386");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return runner;
}

export interface OracleRun {
  stdout: string;
  exitCode: number;
}

const CACHE_DIR = join(tmpdir(), "kplug-csmith-cache");

/**
 * Builds and runs a program with gcc (results cached under os.tmpdir() by a hash of the
 * source and flags); a string says why there is no result (no build, or it ran too long).
 */
export async function gccOracle(source: string, timeoutMs = 20_000): Promise<OracleRun | string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const key = createHash("sha256")
    .update(JSON.stringify([GCC_FLAGS, source]))
    .digest("hex");
  const cached = join(CACHE_DIR, `${key.slice(0, 32)}.json`);
  try {
    return JSON.parse(readFileSync(cached, "utf8")) as OracleRun;
  } catch {
    // not cached yet
  }
  const dir = mkdtempSync(join(tmpdir(), "kplug-csmith-"));
  try {
    const src = join(dir, "prog.c");
    const exe = join(dir, "prog");
    writeFileSync(src, source);
    const cc = await run("gcc", [...GCC_FLAGS, "-w", "-I", CSMITH_INCLUDE, "-o", exe, src], {
      timeoutMs: 300_000,
    });
    if (cc.code !== 0) return `gcc failed: ${(cc.error ?? cc.stderr).slice(0, 500)}`;
    const [cmd, ...rest] = [...(await i386Runner()), exe];
    const r = await run(cmd!, rest, { timeoutMs });
    if (r.error) return `the gcc build did not finish in ${timeoutMs} ms`;
    const result: OracleRun = { stdout: r.stdout, exitCode: r.code & 255 };
    writeFileSync(`${cached}.${process.pid}`, JSON.stringify(result));
    renameSync(`${cached}.${process.pid}`, cached);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fuel for one csmith program in kplug: csmith programs are short, but some loop a lot. */
export const CSMITH_FUEL = 2_000_000_000;

let includes: Record<string, string> | undefined;

/** Compiles with kplug: the module, or the first error. */
export function kplugCompile(source: string): CompiledModule | string {
  includes ??= csmithIncludes();
  const r = compile(source, { file: "prog.c", includes });
  if (r.ok) return r.module;
  const first = r.diagnostics.find((d) => d.severity === "error") ?? r.diagnostics[0];
  return first ? `${first.file}:${first.line}:${first.col}: ${first.message}` : "compile failed";
}

/** Runs a compiled program in kplug and compares it with the oracle's run. */
export function compare(source: string, module: CompiledModule, oracle: OracleRun): CsmithOutcome {
  const got = runProgram(source, { file: "prog.c", module, fuel: CSMITH_FUEL });
  if (got.fault?.kind === "fuel-exhausted") return { kind: "fuel" };
  if (got.stdout === oracle.stdout && got.exitCode === oracle.exitCode) return { kind: "match" };
  return {
    kind: "mismatch",
    expected: `${oracle.stdout.trim()} (exit ${oracle.exitCode})`,
    got: `${got.stdout.trim()} ${got.stderr.trim()} (exit ${got.exitCode})`,
  };
}

/**
 * Compiles and, if kplug accepts the program, runs it under gcc and kplug and compares. The
 * oracle is asked only for programs kplug accepts.
 */
export async function judge(source: string, oracleTimeoutMs = 20_000): Promise<CsmithOutcome> {
  const module = kplugCompile(source);
  if (typeof module === "string") return { kind: "rejected", error: module };
  const oracle = await gccOracle(source, oracleTimeoutMs);
  if (typeof oracle === "string") return { kind: "skipped", why: oracle };
  return compare(source, module, oracle);
}
