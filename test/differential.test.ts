// Differential test: every program in test/programs is built with gcc -m32 (the oracle, with
// flags that make its ABI and arithmetic agree with KP-C) and run through kplug; stdout and the
// exit status must be identical, except that a gcc build that dies with SIGSEGV must be a
// null-pointer fault in kplug (with the same output before it); a program whose name.stdin
// exists reads it as stdin on both. gcc builds run in a bounded pool as soon as this file loads
// and their results are cached under os.tmpdir() keyed by a hash of source, headers and flags,
// so a re-run only pays for kplug. Where this kernel cannot exec i386 binaries they run under
// qemu-i386. A missing oracle fails every test: it is never a reason to skip.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runProgram } from "../kernel/program.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const PROGRAMS = join(HERE, "programs");
const INCLUDE_DIR = join(PROGRAMS, "include");
const GCC_FLAGS = ["-m32", "-msse2", "-mfpmath=sse", "-malign-double", "-fwrapv", "-O1", "-w"];
/** Arguments passed (after argv[0]) to programs whose source mentions argv. */
const ARGS = ["alpha", "beta", "42"];
const POOL_SIZE = 2;
/** How the shell reports a gcc build killed by SIGSEGV (128 + 11). */
const SIGSEGV_STATUS = 139;
const CACHE_DIR = join(tmpdir(), "kplug-differential-cache");
const BUILD_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 60_000;
const INSTALL_HINT =
  "install gcc-multilib (apt-get install gcc-multilib), plus qemu-user where the kernel " +
  "cannot execute i386 binaries";

interface Outcome {
  stdout: string;
  exitCode: number;
}

type Oracle = ({ ok: true } & Outcome) | { ok: false; error: string };

interface Proc {
  code: number;
  stdout: string;
  stderr: string;
  error?: string;
}

/**
 * Runs a command with `input` as its stdin (none: no stdin); never rejects. A signal becomes
 * exit status 128 + signal number.
 */
function run(cmd: string, args: string[], timeoutMs: number, input?: Buffer): Promise<Proc> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    child.stdin?.on("error", () => {}); // a program may exit without reading it all
    child.stdin?.end(input);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    let failed: string | undefined;
    child.on("error", (e) => {
      failed = e.message;
    });
    child.on("close", (code, signal) => {
      const signals: Record<string, number> = { SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };
      resolve({
        code: code ?? 128 + (signal ? (signals[signal] ?? 0) : 0),
        // Decoded like kplug decodes its stdout, so invalid UTF-8 compares equal on both sides.
        stdout: new TextDecoder().decode(Buffer.concat(out)),
        stderr: Buffer.concat(err).toString("utf8"),
        error: failed ?? (signal ? `killed by ${signal}` : undefined),
      });
    });
  });
}

/** A tiny FIFO pool: at most `size` jobs in flight. */
function pool(size: number) {
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

const limit = pool(POOL_SIZE);

function readIncludes(): Record<string, string> {
  const includes: Record<string, string> = {};
  let names: string[] = [];
  try {
    names = readdirSync(INCLUDE_DIR).sort();
  } catch {
    return includes;
  }
  for (const name of names) {
    if (name.endsWith(".h")) includes[name] = readFileSync(join(INCLUDE_DIR, name), "utf8");
  }
  return includes;
}

const includes = readIncludes();
const includesKey = Object.entries(includes)
  .map(([name, text]) => `${name}\0${text}`)
  .join("\0");

/** How 32-bit binaries run here: natively ([]), under qemu-i386, or an error message. */
const runnerPromise: Promise<string[] | string> = (async () => {
  mkdirSync(CACHE_DIR, { recursive: true });
  const src = join(CACHE_DIR, `probe-${process.pid}.c`);
  const exe = join(CACHE_DIR, `probe-${process.pid}`);
  writeFileSync(src, '#include <stdio.h>\nint main(void) { puts("kplug-probe"); return 3; }\n');
  const cc = await run("gcc", [...GCC_FLAGS, "-o", exe, src, "-lm"], BUILD_TIMEOUT_MS);
  if (cc.error || cc.code !== 0) {
    return `gcc -m32 cannot build programs (${cc.error ?? cc.stderr.trim()}); ${INSTALL_HINT}`;
  }
  for (const prefix of [[], ["qemu-i386"]]) {
    const [cmd, ...rest] = [...prefix, exe];
    const r = await run(cmd!, rest, RUN_TIMEOUT_MS);
    if (r.stdout === "kplug-probe\n" && r.code === 3) return prefix;
  }
  return `gcc -m32 builds programs but they cannot be run, natively or under qemu-i386; ${INSTALL_HINT}`;
})();

/** Builds (or fetches from the cache) and runs one program under the gcc oracle. */
async function oracle(
  name: string,
  source: string,
  args: string[],
  input: Buffer | undefined,
): Promise<Oracle> {
  const runner = await runnerPromise;
  if (typeof runner === "string") return { ok: false, error: runner };
  const key = createHash("sha256")
    .update(JSON.stringify([GCC_FLAGS, args, source, includesKey, input?.toString("base64")]))
    .digest("hex")
    .slice(0, 32);
  const resultFile = join(CACHE_DIR, `${key}.json`);
  try {
    const cached = JSON.parse(readFileSync(resultFile, "utf8")) as Outcome;
    return { ok: true, ...cached };
  } catch {
    // not cached yet
  }
  const src = join(CACHE_DIR, `${key}-${name}.c`);
  const exe = join(CACHE_DIR, `${key}.bin`);
  writeFileSync(src, source);
  const cc = await limit(() =>
    run("gcc", [...GCC_FLAGS, "-I", INCLUDE_DIR, "-o", exe, src, "-lm"], BUILD_TIMEOUT_MS),
  );
  if (cc.error || cc.code !== 0) {
    return { ok: false, error: `gcc -m32 failed on ${name}:\n${cc.error ?? ""}${cc.stderr}` };
  }
  const [cmd, ...rest] = [...runner, exe, ...args];
  const r = await limit(() => run(cmd!, rest, RUN_TIMEOUT_MS, input));
  if (r.error && r.code === 0) return { ok: false, error: `running ${name}: ${r.error}` };
  const outcome: Outcome = { stdout: r.stdout, exitCode: r.code & 255 };
  const tmp = `${resultFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(outcome));
  renameSync(tmp, resultFile);
  return { ok: true, ...outcome };
}

const files = readdirSync(PROGRAMS)
  .filter((f) => f.endsWith(".c"))
  .sort();

// Start every oracle build now; the pool bounds the parallelism, and each test awaits its own.
const programs = files.map((file) => {
  const source = readFileSync(join(PROGRAMS, file), "utf8");
  const args = /\bargv\b/.test(source) ? ARGS : [];
  // A program's stdin, when it reads one, is the file beside it: name.stdin.
  let input: Buffer | undefined;
  try {
    input = readFileSync(join(PROGRAMS, `${basename(file, ".c")}.stdin`));
  } catch {
    // no stdin
  }
  const expected = oracle(basename(file, ".c"), source, args, input);
  return { file, source, args, input, expected };
});

test("differential corpus is present", () => {
  assert.ok(programs.length >= 170, `expected at least 170 programs, found ${programs.length}`);
});

for (const { file, source, args, input, expected } of programs) {
  const name = basename(file, ".c");
  test(name, async () => {
    const want = await expected;
    if (!want.ok) assert.fail(want.error);
    const got = runProgram(source, { file, args, includes, stdin: input });
    const context = [
      got.diagnostics ? `kplug diagnostics:\n${got.diagnostics}` : "",
      got.stderr && got.stderr !== got.diagnostics ? `kplug stderr:\n${got.stderr}` : "",
    ]
      .filter(Boolean)
      .join("\n");
    if (got.diagnostics && got.exitCode !== want.exitCode) {
      assert.fail(`kplug did not run ${file}\n${context}`);
    }
    if (want.exitCode === SIGSEGV_STATUS) {
      // gcc's build touched the NULL page: kplug's must fault with null-pointer instead.
      assert.equal(
        got.fault?.kind,
        "null-pointer",
        `no null-pointer fault for ${file}\n${context}`,
      );
      assert.equal(got.stdout, want.stdout, `stdout differs for ${file}\n${context}`);
      return;
    }
    assert.equal(got.stdout, want.stdout, `stdout differs for ${file}\n${context}`);
    assert.equal(got.exitCode, want.exitCode, `exit status differs for ${file}\n${context}`);
  });
}
