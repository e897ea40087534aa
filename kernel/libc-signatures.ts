// The libc signature table: the C signature of every function the built-in C library headers
// declare. Parsing all the headers for it took ~11 ms of a ~115 ms `kplug run hello.c` (CPU
// profile of the built CLI), so the build writes the table as JSON into dist/ and a start reads
// it back; a checkout (no such file) parses the headers as before. The file records a hash of
// the headers it was made from and is ignored when they differ, so it can go stale but never
// be wrong.

import { readFileSync } from "node:fs";
import { builtinHeaders, type FunctionSymbol } from "../cc/index.ts";
import { parseDeclarations } from "./signature.ts";

/** What the build writes: the headers' hash and their functions' signatures. */
export interface LibcSignatureTable {
  headersHash: string;
  functions: FunctionSymbol[];
}

/**
 * Where the build writes the table: dist/kernel/, reached by the same relative path from
 * dist/kernel/ (tsc output) and dist/cli-bundle/ (the bundled CLI). In a checkout this is
 * kernel/libc-signatures.json, which does not exist, so the headers are parsed.
 */
export const LIBC_TABLE_URL: URL = new URL("../kernel/libc-signatures.json", import.meta.url);

/** FNV-1a (32-bit) over the headers' names and text: ~12 KB, well under a millisecond. */
export function hashHeaders(headers: Record<string, string>): string {
  let h = 0x811c9dc5;
  for (const name of Object.keys(headers).sort()) {
    const text = `${name}\0${headers[name]}\0`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, "0");
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
    headersHash: hashHeaders(builtinHeaders),
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
    table &&
    table.headersHash === hashHeaders(builtinHeaders) &&
    Array.isArray(table.functions)
  ) {
    return new Map(table.functions.map((f) => [f.name, f]));
  }
  return parseLibcSignatures();
}
