// Runs a whole C program the way its gcc build would run: compile, link into a fresh runtime
// with libc, pass argv, call main, and turn its return value or exit() code into an exit
// status. Used by `kplug run` and by the differential tests.

import type { CompiledModule } from "../cc/index.ts";
import { compile, formatDiagnostic, formatDiagnostics, STACK_FLOOR } from "../cc/index.ts";
import { wantsAddress, withReplayedAddress } from "./fault-replay.ts";
import { ExitSignal, PluginFault } from "./faults.ts";
import type { ForeignMemory } from "./foreign-memory.ts";
import { checkFuelBudget, MAX_FUEL } from "./fuel.ts";
import { DEFAULT_FUEL, DEFAULT_MEMORY, Kernel } from "./kernel.ts";
import { LIBC_GROUP, PROGRAM_NAME, runAtExit } from "./libc.ts";
import { LinkError } from "./linker.ts";
import type { Runtime } from "./runtime.ts";
import { SignatureError } from "./signature.ts";
import type { ByteSource } from "./stdin.ts";

/** Options of `runProgram`, all optional. */
export interface RunOptions {
  /** File name for diagnostics and argv[0] (default "prog.c"). */
  file?: string;
  /** argv[1..]. */
  args?: string[];
  /** Sources for `#include "name"`. */
  includes?: Record<string, string>;
  /**
   * Fuel budget of the main upcall (default 1e9), a whole number up to 2^53-1; 0 compiles
   * without metering. Anything else (Infinity, NaN, fractions, negatives) throws a
   * FuelBudgetError.
   */
  fuel?: number;
  /** The function to run (default "main"). */
  entry?: string;
  /** Compile with NULL-page checks (default true; `CompileOptions.nullChecks`). */
  nullChecks?: boolean;
  /** Receives stdout as it is flushed (it is also returned in the result). */
  stdout?: (s: string) => void;
  /** Receives stdout as raw bytes instead of text (the CLI writes them through). */
  stdoutBytes?: (b: Uint8Array) => void;
  /**
   * Memory limit in bytes (default 64 MiB, or the stack plus 32 MiB when `stack` needs more).
   */
  memory?: number;
  /** Compile warnings as errors (`CompileOptions.warningsAsErrors`). */
  warningsAsErrors?: boolean;
  /** Shadow-stack bytes (default 256 KiB; `RuntimeOptions.stack`). */
  stack?: number;
  /**
   * An already compiled module, or foreign WebAssembly bytes (kernel/foreign.ts), whose `main`
   * (clang's `__main_argc_argv`) or `_start` runs by default; `source` is then unused.
   */
  module?: CompiledModule | Uint8Array;
  /** C declarations of a foreign module's functions. */
  header?: string;
  /** The program's stdin: its whole text, or a source read on demand (default: empty). */
  stdin?: string | Uint8Array | ByteSource;
}

/** How a program ended, as a shell would see it. */
export interface RunResult {
  /**
   * main's return value or exit()'s code, as a byte; 134 after abort() or a failed assert; 1
   * after another fault or a failed compile or link.
   */
  exitCode: number;
  /** Everything it wrote to stdout. */
  stdout: string;
  /** The runtime's reports (assertions, a fault) or a failed compile's diagnostics. */
  stderr: string;
  /** Formatted compiler diagnostics (warnings too), if any. */
  diagnostics?: string;
  /** The fault that ended it, if one did. */
  fault?: PluginFault;
}

const EXIT_ABORT = 134;
const EXIT_FAILURE = 1;

let shared: Kernel | undefined;

/** The default memory limit, raised (in whole 64 KiB pages) for a stack that needs more. */
function memoryFor(stack: number | undefined): number | undefined {
  if (stack === undefined || !(stack + STACK_FLOOR + (32 << 20) > DEFAULT_MEMORY)) return undefined;
  return Math.ceil((stack + STACK_FLOOR + (32 << 20)) / 65536) * 65536;
}

/** One kernel (with libc) for all runs; each run gets its own runtime. */
function kernel(): Kernel {
  shared ??= new Kernel();
  return shared;
}

let runs = 0;

/**
 * Runs a whole C program as its native build would: compiles it (unless `options.module` is
 * given), links it with libc into a fresh runtime of a shared kernel, calls main with argv and
 * returns its exit status and output. For programs; plugins are added to a `Runtime` instead.
 */
export function runProgram(source: string, options: RunOptions = {}): RunResult {
  const file = options.file ?? "prog.c";
  const metered = options.fuel !== 0;
  if (options.fuel !== undefined && metered) checkFuelBudget(options.fuel, "fuel budget");
  let diagnostics: string | undefined;
  let module = options.module;
  if (!module) {
    const result = compile(source, {
      file,
      includes: options.includes,
      fuel: metered,
      nullChecks: options.nullChecks ?? true,
      warningsAsErrors: options.warningsAsErrors,
    });
    if (result.diagnostics.length > 0) {
      diagnostics = formatDiagnostics(result.diagnostics, { [file]: source, ...options.includes });
    }
    if (!result.ok) return { exitCode: 1, stdout: "", stderr: `${diagnostics}\n`, diagnostics };
    module = result.module;
  }

  // Input read is recorded so that a fault can be replayed with the same input.
  const input = recordedInput(byteSource(options.stdin));
  const run = runModule(module, source, file, options, metered, input.source, false);
  let fault = run.fault;
  if (wantsAddress(fault) && input.replay) {
    // The address of an out-of-bounds access: replayed from the start with the bounds probe
    // (kernel/fault-replay.ts), output discarded, same input, fuel and memory.
    const replay = runModule(module, source, file, options, metered, input.replay(), true);
    fault = withReplayedAddress(fault, replay.fault);
  }
  let stderr = run.stderr;
  if (fault) {
    stderr += `${fault.report(options.module ? undefined : { ...options.includes, [file]: source })}\n`;
  }
  const result: RunResult = { exitCode: run.exitCode, stdout: run.stdout, stderr };
  if (diagnostics !== undefined) result.diagnostics = diagnostics;
  if (fault) result.fault = fault;
  return result;
}

/** How one run of a linked program ended; a fault is returned, not yet reported. */
interface ModuleRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  fault?: PluginFault;
}

/**
 * Links `module` into a fresh runtime and runs its entry. `probe`: a replay, in a runtime
 * running the bounds-probed build, whose output goes nowhere.
 */
function runModule(
  module: CompiledModule | Uint8Array,
  source: string,
  file: string,
  options: RunOptions,
  metered: boolean,
  stdin: ByteSource | undefined,
  probe: boolean,
): ModuleRun {
  const decoder = new TextDecoder();
  let stdout = "";
  let stderr = "";
  const k = kernel();
  const name = `program-${++runs}`;
  const rt = k.createRuntime(name, {
    allow: [LIBC_GROUP],
    // Unmetered code still pays for host functions' work: from a budget that never runs out.
    fuel: metered ? (options.fuel ?? DEFAULT_FUEL) : MAX_FUEL,
    memory: options.memory ?? memoryFor(options.stack),
    stack: options.stack,
    quarantine: false,
    stdout: probe
      ? () => {}
      : (bytes) => {
          options.stdoutBytes?.(bytes);
          const text = decoder.decode(bytes, { stream: true });
          stdout += text;
          options.stdout?.(text);
        },
    stderr: (bytes) => {
      stderr += new TextDecoder().decode(bytes);
    },
    stdin,
    boundsProbe: probe,
  });
  const finish = (exitCode: number, fault?: PluginFault): ModuleRun => {
    rt.flush();
    const tail = decoder.decode();
    stdout += tail;
    if (tail) options.stdout?.(tail);
    k.destroyRuntime(name);
    const result: ModuleRun = { exitCode, stdout, stderr };
    if (fault) result.fault = fault;
    return result;
  };

  rt.hostState.set(PROGRAM_NAME, file);
  try {
    rt.add(file, module, { header: options.header });
  } catch (e) {
    if (!(e instanceof LinkError || e instanceof SignatureError)) throw e;
    // A link error the compiler can place is a diagnostic at the extern (or first call).
    stderr +=
      e instanceof LinkError && e.loc
        ? `${formatDiagnostic(
            { severity: "error", message: e.message.replace(/^plugin '[^']*': /, ""), ...e.loc },
            { ...options.includes, [file]: source },
          )}\n`
        : `kplug: ${e.message}\n`;
    return finish(EXIT_FAILURE);
  }
  const plugin = rt.plugin(file)!;
  const exported = plugin.module.exports;
  const entry = options.entry ?? defaultEntry(exported.map((s) => s.name));
  const symbol = exported.find((s) => s.name === entry);
  if (!symbol) {
    stderr += `kplug: ${file}: no function '${entry}' to run\n`;
    return finish(EXIT_FAILURE);
  }
  try {
    const fn = rt.lookup(entry);
    let ret: unknown;
    if (symbol.params.length === 0) ret = fn();
    else if (
      symbol.params.length === 2 &&
      symbol.params[0] === "i32" &&
      symbol.params[1] === "i32"
    ) {
      const argv = [file, ...(options.args ?? [])];
      ret = fn(argv.length, writeArgv(argv, plugin.ownMemory ?? rt));
    } else {
      stderr += `kplug: ${file}: '${entry}' must take no parameters or (int argc, char **argv)\n`;
      return finish(EXIT_FAILURE);
    }
    runAtExit(rt, plugin); // a return from main runs the atexit functions, as exit() does
    return finish(
      typeof ret === "number" ? ret & 255 : typeof ret === "bigint" ? Number(ret & 255n) : 0,
    );
  } catch (e) {
    if (e instanceof ExitSignal) return finish(e.code & 255);
    if (e instanceof RangeError) {
      stderr += `kplug: ${e.message}\n`;
      return finish(EXIT_FAILURE);
    }
    if (e instanceof PluginFault) {
      rt.flush();
      return finish(e.kind === "abort" ? EXIT_ABORT : EXIT_FAILURE, e);
    }
    throw e;
  }
}

/** Input bytes kept for a replay, at most this many (a longer input leaves the address unknown). */
const MAX_RECORDED_INPUT = 64 << 20;

/**
 * `source` with every chunk it gives recorded, and `replay()` making a source that gives the
 * same chunks again (undefined once more than MAX_RECORDED_INPUT bytes were read).
 */
function recordedInput(source: ByteSource | undefined): {
  source: ByteSource | undefined;
  replay: (() => ByteSource) | undefined;
} {
  if (!source) return { source, replay: () => () => 0 };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const out = {
    source: (into: Uint8Array) => {
      const n = source(into);
      bytes += n;
      if (bytes > MAX_RECORDED_INPUT) out.replay = undefined;
      else if (n > 0) chunks.push(into.slice(0, n));
      return n;
    },
    replay: (() => {
      let i = 0;
      let at = 0;
      return (into: Uint8Array) => {
        const chunk = chunks[i];
        if (!chunk) return 0;
        const n = Math.min(into.length, chunk.length - at);
        into.set(chunk.subarray(at, at + n));
        at += n;
        if (at === chunk.length) {
          i++;
          at = 0;
        }
        return n;
      };
    }) as (() => ByteSource) | undefined,
  };
  return out;
}

/** A source reading `input` (text is UTF-8), or the source itself. */
function byteSource(input: RunOptions["stdin"]): ByteSource | undefined {
  if (input === undefined || typeof input === "function") return input;
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  let at = 0;
  return (into) => {
    const n = Math.min(into.length, bytes.length - at);
    into.set(bytes.subarray(at, at + n));
    at += n;
    return n;
  };
}

/** `main`, else clang's name for `main(int, char **)`, else a WASI-style `_start`. */
function defaultEntry(names: string[]): string {
  for (const n of ["main", "__main_argc_argv", "_start"]) if (names.includes(n)) return n;
  return "main";
}

/** argv as C wants it, in the memory the entry's pointers refer to; returns its address. */
function writeArgv(argv: string[], memory: Runtime | ForeignMemory): number {
  const enc = new TextEncoder();
  const strings = argv.map((a) => enc.encode(a));
  const table = (argv.length + 1) * 4;
  const block = memory.alloc(table + strings.reduce((n, b) => n + b.length + 1, 0));
  const dv = new DataView(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
  let at = table;
  strings.forEach((b, i) => {
    dv.setInt32(i * 4, block.ptr + at, true);
    block.bytes.set(b, at);
    block.bytes[at + b.length] = 0;
    at += b.length + 1;
  });
  dv.setInt32(argv.length * 4, 0, true);
  return block.ptr;
}
