// `kplug compile FILE.c [-o FILE.wasm] [--wat]`: compiles a KP-C file to a plugin module.

import { writeFileSync } from "node:fs";
import { compile, formatDiagnostics } from "../cc/index.ts";
import { toWat } from "../wasm/index.ts";
import { fileError, parseCommandLine, reportUsage } from "./args.ts";
import { inspectWasm } from "./compile-wasm.ts";
import { readSources } from "./sources.ts";

export const usage = `usage: kplug compile FILE.c [options]
       kplug compile FILE.wasm [--header FILE.h]   verify a module from any toolchain and
                   print its imports, exports and signatures (exit 1 if it would be refused)
  -o FILE.wasm     where to write the module (default: FILE.wasm beside the source)
  --wat            print the module in the WebAssembly text format instead of writing it
  -I DIR           look for #include "..." files in DIR too (repeatable)
  -D NAME[=VALUE]  predefine a macro (repeatable)
  --no-fuel        compile without fuel metering (only to measure its cost)
  --no-null-checks compile without NULL-page checks (loads and stores through NULL
                   then succeed silently instead of faulting)
  --no-inline      do not inline small functions
  --no-vectorize   do not run counted array loops in SIMD lanes (for A/B measurements)
  --werror         treat warnings as errors`;

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    return reportUsage("compile", (e as Error).message, usage);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    return reportUsage(
      "compile",
      positionals.length ? "expected one source file" : "no source file",
      usage,
    );
  }
  const file = positionals[0]!;
  if (file.endsWith(".wasm")) return inspectWasm(file, values.header);
  let sources: ReturnType<typeof readSources>;
  try {
    sources = readSources(file, values.I ?? []);
  } catch (e) {
    const path = (e as NodeJS.ErrnoException).path ?? file;
    process.stderr.write(`kplug compile: ${fileError("read", path, e)}\n`);
    return 1;
  }
  const defines: Record<string, string> = {};
  for (const d of values.D ?? []) {
    const eq = d.indexOf("=");
    if (eq < 0) defines[d] = "1";
    else defines[d.slice(0, eq)] = d.slice(eq + 1);
  }
  const result = compile(sources.source, {
    file,
    includes: sources.includes,
    defines,
    fuel: !values["no-fuel"],
    nullChecks: !values["no-null-checks"],
    inline: !values["no-inline"],
    vectorize: !values["no-vectorize"],
    warningsAsErrors: values.werror === true,
  });
  if (result.diagnostics.length > 0) {
    const text = formatDiagnostics(result.diagnostics, {
      [file]: sources.source,
      ...sources.includes,
    });
    process.stderr.write(`${text}\n`);
  }
  if (!result.ok) return 1;
  if (values.wat) {
    process.stdout.write(toWat(result.module.wasm));
    return 0;
  }
  const out = values.o ?? `${file.endsWith(".c") ? file.slice(0, -2) : file}.wasm`;
  try {
    writeFileSync(out, result.module.wasm);
  } catch (e) {
    process.stderr.write(`kplug compile: ${fileError("write", out, e)}\n`);
    return 1;
  }
  return 0;
}

function parse(argv: string[]) {
  return parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      o: { type: "string", short: "o" },
      wat: { type: "boolean" },
      I: { type: "string", short: "I", multiple: true },
      D: { type: "string", short: "D", multiple: true },
      "no-fuel": { type: "boolean" },
      "no-null-checks": { type: "boolean" },
      "no-inline": { type: "boolean" },
      "no-vectorize": { type: "boolean" },
      werror: { type: "boolean" },
      header: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}
