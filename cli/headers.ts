// `kplug headers [--out DIR]`: writes the compiler's built-in headers (the C library and
// kplug/image.h) as files, so editors and clangd see what the compiler sees. The compiler itself
// needs no copy: it reads them from the package.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { allHeaders } from "../cc/index.ts";
import { fileError, parseCommandLine, reportUsage } from "./args.ts";

export const usage = `usage: kplug headers [--out DIR]
  --out DIR        where to write the headers (default: ./kplug-include)

For clangd, put a compile_flags.txt beside your plugins (see docs/embedding.md):
  --target=wasm32
  -nostdinc
  -D__KPLUG__
  -Ikplug-include`;

export function main(argv: string[]): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    return reportUsage("headers", (e as Error).message, usage);
  }
  const out = resolve(parsed.values.out ?? "kplug-include");
  const names = Object.keys(allHeaders).sort();
  for (const name of names) {
    const path = join(out, name);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, allHeaders[name]!);
    } catch (e) {
      process.stderr.write(`kplug headers: ${fileError("write", path, e)}\n`);
      return 1;
    }
  }
  process.stdout.write(`kplug headers: wrote ${names.length} headers to ${out}\n`);
  return 0;
}

function parse(argv: string[]) {
  return parseCommandLine({
    args: argv,
    options: {
      out: { type: "string", short: "o" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
  });
}
