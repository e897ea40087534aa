// `kplug run FILE.c [--entry NAME] [--fuel N] [--no-fuel] [-- ARGS...]`: runs a C program in a
// kernel runtime with libc and the process's stdin, and exits with its status, as its gcc build
// would. A fault prints a one-line report on stderr.

import { readFileSync, readSync } from "node:fs";
import { type CompiledModule, moduleFromWasm } from "../cc/index.ts";
import { CompileError, KernelError, LinkError, MAX_STACK, runProgram } from "../kernel/index.ts";
import { fileError, parseCommandLine, parseFuel, reportUsage } from "./args.ts";
import { readSources } from "./sources.ts";

export const usage = `usage: kplug run FILE.c|FILE.wasm [options] [-- ARGS...]
       kplug run PLUGIN.c --image IN -o OUT [--param NAME=VALUE]... [--fuel N] [--memory BYTES]
                   run an image plugin on an image as kplug serve would run it for a client;
                   OUT's extension picks the format (.ppm .pgm .png .jpg .webp); formats
                   other than PPM/PGM need the 'sharp' package
  --param NAME=VALUE  a plugin parameter, as ?NAME=VALUE in a request (repeatable): scale
                   threshold brightness contrast radius amount x y w h turns levels a0..a7 quality
  --entry NAME     function to run instead of main: (void) or (int argc, char **argv)
  --fuel N         fuel budget: loop iterations and calls before the program is stopped
                   (default 1000000000, at most 2^53-1 = 9007199254740991)
  --no-fuel        compile without fuel metering (a runaway loop then never stops)
  --no-null-checks compile without NULL-page checks (loads and stores through NULL
                   then succeed silently instead of faulting)
  --werror         treat compiler warnings as errors
  --memory BYTES   memory limit (default 64 MiB, or the stack plus 32 MiB)
  --stack BYTES    shadow-stack size for locals whose address is taken, arrays and
                   structs (default 256 KiB; at most 256 MiB; rounded up to 16)
  -I DIR           look for #include "..." files in DIR too (repeatable)
  --header FILE.h  C declarations of a foreign FILE.wasm's functions (else derived
                   from the wasm types); its main, __main_argc_argv or _start runs
The program reads this process's stdin (getchar, fgets, fread, scanf).`;

export async function main(argv: string[]): Promise<number> {
  const dashes = argv.indexOf("--");
  const own = dashes < 0 ? argv : argv.slice(0, dashes);
  const programArgs = dashes < 0 ? [] : argv.slice(dashes + 1);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(own);
  } catch (e) {
    return reportUsage("run", (e as Error).message, usage);
  }
  const { values, positionals } = parsed;
  if (positionals.length < 1) return reportUsage("run", "no source file", usage);
  const file = positionals[0]!;
  // Arguments after the file are passed to the program too (like `kplug run f.c a b`).
  const args = [...positionals.slice(1), ...programArgs];
  // Infinity (or "1e400") must not quietly mean "no metering": --no-fuel says that.
  let fuel: number | undefined;
  if (values["no-fuel"]) fuel = 0;
  else if (values.fuel !== undefined) {
    const parsed = parseFuel(values.fuel);
    if ("error" in parsed)
      return reportUsage("run", `${parsed.error}; --no-fuel runs unmetered`, usage);
    fuel = parsed.fuel;
  }
  const memory = values.memory !== undefined ? Number(values.memory) : undefined;
  if (memory !== undefined && !(memory > 0))
    return reportUsage("run", "--memory needs a number > 0", usage);
  let stack: number | undefined;
  if (values.stack !== undefined) {
    stack = Number(values.stack);
    if (!Number.isInteger(stack) || stack < 1024 || stack > MAX_STACK) {
      return reportUsage("run", `--stack needs a number of bytes from 1024 to ${MAX_STACK}`, usage);
    }
    stack = Math.ceil(stack / 16) * 16;
  }
  const wasm = file.endsWith(".wasm");
  let sources: ReturnType<typeof readSources>;
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  let header: string | undefined;
  try {
    sources = wasm ? { source: "", includes: {} } : readSources(file, values.I ?? []);
    if (wasm) bytes = new Uint8Array(readFileSync(file));
    if (values.header !== undefined) header = readFileSync(values.header, "utf8");
  } catch (e) {
    const path = (e as NodeJS.ErrnoException).path ?? file;
    process.stderr.write(`kplug run: ${fileError("read", path, e)}\n`);
    return 1;
  }
  try {
    const result = runProgram(sources.source, {
      file,
      args,
      includes: sources.includes,
      fuel,
      memory,
      stack,
      warningsAsErrors: values.werror === true,
      entry: values.entry,
      nullChecks: !values["no-null-checks"],
      module: bytes ? wasmModule(bytes) : undefined,
      header,
      stdoutBytes: (bytes) => process.stdout.write(bytes),
      stdin: readStdin,
    });
    // Warnings of a successful compile come first; a failed compile's stderr is its diagnostics.
    if (result.diagnostics && !result.stderr.startsWith(result.diagnostics)) {
      process.stderr.write(`${result.diagnostics}\n`);
    }
    process.stderr.write(result.stderr);
    return result.exitCode;
  } catch (e) {
    // The kernel's typed refusals say what is wrong; anything else is a bug of ours, and its
    // JS text is no use to the user.
    const typed = e instanceof KernelError || e instanceof CompileError || e instanceof LinkError;
    const message = typed ? (e as Error).message : "internal error (please report it)";
    process.stderr.write(`kplug run: ${message}\n`);
    return 1;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The process's stdin, read synchronously as the program asks (plugins run synchronously).
 * A non-blocking descriptor that has nothing yet is waited for; an error ends the input.
 */
function readStdin(into: Uint8Array): number {
  for (;;) {
    try {
      return readSync(0, into, 0, into.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 5);
      else if (code === "EOF") return 0;
      else throw e;
    }
  }
}

/** A module kplug compiled (it has kplug.meta), else the bytes of a foreign one. */
function wasmModule(bytes: Uint8Array<ArrayBuffer>): CompiledModule | Uint8Array {
  try {
    return moduleFromWasm(bytes);
  } catch {
    return bytes;
  }
}

function parse(argv: string[]) {
  return parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      entry: { type: "string" },
      fuel: { type: "string" },
      "no-fuel": { type: "boolean" },
      "no-null-checks": { type: "boolean" },
      memory: { type: "string" },
      stack: { type: "string" },
      werror: { type: "boolean" },
      I: { type: "string", short: "I", multiple: true },
      header: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
