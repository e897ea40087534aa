// The WebAssembly text of a compiled plugin for the playground's WAT view, with the pairs
// [WAT line, source line] (both 1-based) that link the two views. Without a line table in
// the module, the link is per function: the line of each `(func $name` to the line where the
// C source defines `name` (functions the compiler inlined or left unnamed have no link).
// Bounded: the text stops at MAX_WAT_CHARS with a comment saying so.

import { toWat } from "../wasm/index.ts";

export interface WatListing {
  wat: string;
  lines: [number, number][];
}

export const MAX_WAT_CHARS = 2_000_000;

/** `[type] name(params)` at the start of a line, then `{` or nothing: a definition's head. */
const DEFINITION = /^(?:[A-Za-z_][\w\s*]*?[\s*])?([A-Za-z_]\w*)\s*\([^;{}]*\)\s*(\{.*)?$/;
const FUNC = /^\s*\(func \$([\w.$]+)/;

/** Line (1-based) of each function the source defines at file scope. */
export function definitionLines(source: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (/^\s/.test(text) || text.startsWith("#")) continue; // bodies are indented; directives
    const m = DEFINITION.exec(text);
    if (!m || /^(if|for|while|switch|return|sizeof)$/.test(m[1])) continue;
    const opens = m[2] !== undefined || lines[i + 1]?.trim().startsWith("{");
    if (opens && !out.has(m[1])) out.set(m[1], i + 1);
  }
  return out;
}

export function watListing(wasm: Uint8Array, source: string): WatListing {
  let wat = toWat(wasm);
  if (wat.length > MAX_WAT_CHARS) {
    wat = `${wat.slice(0, wat.lastIndexOf("\n", MAX_WAT_CHARS))}\n;; … cut at ${MAX_WAT_CHARS} characters\n`;
  }
  const defined = definitionLines(source);
  const lines: [number, number][] = [];
  const watLines = wat.split("\n");
  for (let i = 0; i < watLines.length; i++) {
    const m = FUNC.exec(watLines[i]);
    const at = m && defined.get(m[1]);
    if (at) lines.push([i + 1, at]);
  }
  return { wat, lines };
}
