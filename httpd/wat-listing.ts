// The WebAssembly text of a compiled plugin for the playground's WAT view, with the pairs
// [WAT line, source line] (both 1-based) that link the two views. Each instruction's code
// offset (wasm watLines) goes through the module's line table (cc's kplug.lines) to its C
// frames; the link is to the innermost frame in the editor's file, so code inlined from the
// header (image_alloc) links to the line that called it. A function's `(func $name` line links
// to the line that defines it. Bounded: the text stops at MAX_WAT_CHARS with a comment.

import { decodeLineTable, type LineRow } from "../cc/index.ts";
import { watLines } from "../wasm/index.ts";

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

/** The module's text and its links to `source`, compiled as `file`. */
export function watListing(wasm: Uint8Array, source: string, file: string): WatListing {
  const all = watLines(wasm);
  const lineOf = sourceLines(wasm, file);
  const defined = definitionLines(source);
  const text: string[] = [];
  const lines: [number, number][] = [];
  let chars = 0;
  for (const l of all) {
    chars += l.text.length + 1;
    if (chars > MAX_WAT_CHARS) {
      text.push(`;; … cut at ${MAX_WAT_CHARS} characters`);
      break;
    }
    text.push(l.text);
    const m = l.offset === undefined ? FUNC.exec(l.text) : null;
    const at = l.offset !== undefined ? lineOf(l.offset) : m ? defined.get(m[1]) : undefined;
    if (at) lines.push([text.length, at]);
  }
  return { wat: `${text.join("\n")}\n`, lines };
}

/**
 * Code offset -> line in `file` (0: none), through the line table's rows: a row in the file
 * gives its line; a row of code inlined from elsewhere (the header) gives the line in `file`
 * it was inlined at (its C frames, looked up once per row). Offsets come in ascending order
 * within a function, so one binary search each.
 */
function sourceLines(wasm: Uint8Array, file: string): (offset: number) => number {
  const table = decodeLineTable(wasm);
  if (!table) return () => 0;
  const rows: LineRow[] = table.rows().sort((a, b) => a.offset - b.offset);
  const resolved = new Map<LineRow, number>();
  return (offset) => {
    let lo = 0;
    let hi = rows.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid].offset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const row = rows[found];
    if (!row || offset >= row.end) return 0;
    if (row.file === file) return row.line;
    let line = resolved.get(row);
    if (line === undefined) {
      line = table.frames(row.offset, row.func).find((f) => f.file === file)?.line ?? 0;
      resolved.set(row, line);
    }
    return line;
  };
}
