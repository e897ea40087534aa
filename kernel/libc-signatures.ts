// The libc signature table: the C signature of every function the built-in C library headers
// declare. Parsing all the headers for it took ~11 ms of a ~115 ms `kplug run hello.c` (CPU
// profile of the built CLI), so the build writes the table as JSON into dist/ and a start reads
// it back; a checkout (no such file) parses the headers as before. The file holds the headers'
// text it was made from and is ignored when they differ, so it can go stale but never be wrong
// (comparing the text costs microseconds; hashing it in JS cost ~2 ms at a cold start).

import { readFileSync } from "node:fs";
import { builtinHeaders, type FunctionSymbol } from "../cc/index.ts";
import { parseDeclarations } from "./signature.ts";

/** What the build writes: the headers it parsed, by include name, and their functions. */
export interface LibcSignatureTable {
  headers: Record<string, string>;
  functions: FunctionSymbol[];
}

/**
 * Where the build writes the table: dist/kernel/, reached by the same relative path from
 * dist/kernel/ (tsc output) and dist/cli-bundle/ (the bundled CLI). In a checkout this is
 * kernel/libc-signatures.json, which does not exist, so the headers are parsed.
 */
export const LIBC_TABLE_URL: URL = new URL("../kernel/libc-signatures.json", import.meta.url);

/** Whether two sets of headers have the same names and text. */
export function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => Object.hasOwn(b, name) && a[name] === b[name]);
}

/** Parses every built-in C library header for its function declarations. */
export function parseLibcSignatures(): Map<string, FunctionSymbol> {
  const source = Object.keys(builtinHeaders)
    .map((h) => `#include <${h}>\n`)
    .join("");
  return parseDeclarations(source, "<libc>");
}

/** The table the build writes (scripts/build.ts), from the headers as they are now. */
export function libcSignatureTable(): LibcSignatureTable {
  return {
    headers: { ...builtinHeaders },
    functions: [...parseLibcSignatures().values()],
  };
}

/**
 * The signatures from the table at `url` when it exists and was made from the current headers,
 * else parsed from the headers.
 */
export function loadLibcSignatures(url: URL = LIBC_TABLE_URL): Map<string, FunctionSymbol> {
  let table: LibcSignatureTable | undefined;
  try {
    table = JSON.parse(readFileSync(url, "utf8")) as LibcSignatureTable;
  } catch {
    // No table (a checkout) or an unreadable one: parse.
  }
  if (
    typeof table?.headers === "object" &&
    table.headers !== null &&
    sameHeaders(table.headers, builtinHeaders) &&
    Array.isArray(table.functions)
  ) {
    return new Map(table.functions.map((f) => [f.name, f]));
  }
  return parseLibcSignatures();
}
