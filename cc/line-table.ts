// The line table: which C source position (and which inlined C function) each piece of a
// compiled module's code comes from, for fault reports and the playground's WAT view. It is
// recorded while lowering (a few array pushes per statement and per trapping instruction) and
// stored in the `kplug.lines` custom section; nothing of it runs.
//
// Rows are marked at each statement and right before every instruction that can trap or call
// (loads, stores, divisions, calls, memory.copy/fill, fuel checks, the stack check): a row
// holds from its code offset to the next row's, so the row of a trapping instruction, or of a
// caller's `call`, is always its own. An inlined function's rows carry its inline scope, whose
// call site is a position in the enclosing scope: that gives the C frames of one wasm frame.
//
// Section format (every integer an unsigned LEB128 unless said otherwise, names as in wasm:
// a length and UTF-8 bytes):
//   version     byte 1
//   files       count, then each file name
//   names       count, then each C function name (functions and scopes refer to them)
//   functions   count, then per function with rows:
//     index       wasm function index (imports included)
//     name        the C function's name (an index into names)
//     scopes      count, then per inline scope: parent (0 = the function, k = scope k-1),
//                 the inlined C function (an index into names), and its call site: file,
//                 line, col
//     rows        count, then per row:
//                   head      offset delta << 2 | line changed << 1 | context changed: the delta
//                             from the previous row's offset (the first row's from the
//                             function's first instruction, after its local declarations)
//                   scope     if the context changed: 0 = the function, k = scope k-1
//                   file      if the context changed
//                   line      if it changed: the delta from the previous row's (signed LEB128)
//                   col
//                 a row starts with line 0, scope 0, file 0 before the first row
// Wasm code offsets that V8 reports (module-relative) map to a function's rows through the
// start of its body in the code section (`decodeLineTable` finds it).

import type { CodeWriter } from "../wasm/index.ts";
import { ByteWriter, decodeModule, Reader } from "../wasm/index.ts";
import type { Expr } from "./ast.ts";
import type { Loc } from "./diagnostics.ts";

/** Name of the custom section holding a compiled module's line table. */
export const LINES_SECTION = "kplug.lines";
const VERSION = 1;

/** One C frame at a code offset: innermost first in `LineTable.frames`. */
export interface SourceFrame {
  /** The C function. */
  function: string;
  file: string;
  line: number;
  col: number;
  /** Expanded into its caller by the compiler (no wasm frame of its own). */
  inlined: boolean;
}

/** A row of the table in module coordinates (what the playground links WAT lines with). */
export interface LineRow {
  /** Wasm function index. */
  func: number;
  /** Module-relative byte offset of the first instruction the row covers. */
  offset: number;
  /** Module-relative end of the row (the next row's offset, or the function's end). */
  end: number;
  file: string;
  line: number;
  col: number;
  /** The C function the code belongs to (an inlined one's name inside its caller). */
  function: string;
}

interface Scope<Name = string> {
  parent: number;
  name: Name;
  file: number;
  line: number;
  col: number;
}

/** The table of one function while it is lowered. */
export class FunctionLines {
  /** Flat rows: prologue?1:0, writer position, scope, file, line, col. */
  private readonly rows: number[] = [];
  /** Inline scopes; names are indices into the module's name table. */
  readonly scopes: Scope<number>[] = [];
  /** The current inline scope (0 = the function itself). */
  scope = 0;

  constructor(
    private readonly table: LineTableBuilder,
    readonly name: string,
    /** The function body's writer; code written elsewhere is the prologue. */
    private readonly body: CodeWriter,
  ) {}

  /** Code emitted to `w` from its current end on comes from `loc`. */
  mark(w: CodeWriter, loc: Loc): void {
    const rows = this.rows;
    const inPrologue = w === this.body ? 0 : 1;
    const pos = w.length;
    const file = this.table.fileIndex(loc.file);
    let n = rows.length;
    if (n > 0) {
      if (rows[n - 6] === inPrologue && rows[n - 5] === pos) {
        rows.length = n -= 6; // nothing emitted since the last mark: it is replaced
      } else if (
        rows[n - 6] === inPrologue &&
        rows[n - 4] === this.scope &&
        rows[n - 3] === file &&
        rows[n - 2] === loc.line &&
        rows[n - 1] === loc.col
      ) {
        return;
      }
    }
    rows.push(inPrologue, pos, this.scope, file, loc.line, loc.col);
  }

  /** Enters the body of `name` inlined at `call`; returns the scope to give back to `leave`. */
  enter(name: string, call: Loc): number {
    const outer = this.scope;
    this.scopes.push({
      parent: outer,
      name: this.table.nameIndex(name),
      file: this.table.fileIndex(call.file),
      line: call.line,
      col: call.col,
    });
    this.scope = this.scopes.length;
    return outer;
  }

  leave(outer: number): void {
    this.scope = outer;
  }

  /** Rows (offset, scope, file, line, col) in final code offsets: the prologue comes first. */
  finalRows(prologueLength: number): number[] {
    const rows = this.rows;
    const out: number[] = [];
    for (const prologue of [1, 0]) {
      const shift = prologue ? 0 : prologueLength;
      for (let i = 0; i < rows.length; i += 6) {
        if (rows[i] !== prologue) continue;
        out.push(rows[i + 1]! + shift, rows[i + 2]!, rows[i + 3]!, rows[i + 4]!, rows[i + 5]!);
      }
    }
    return out;
  }
}

/** Collects the functions' tables of one module and encodes the section. */
export class LineTableBuilder {
  private readonly files = new Map<string, number>();
  private readonly names = new Map<string, number>();
  private readonly functions: { index: number; lines: FunctionLines; rows: number[] }[] = [];
  private lastFile = "";
  private lastIndex = -1;

  fileIndex(file: string): number {
    if (file === this.lastFile) return this.lastIndex;
    let i = this.files.get(file);
    if (i === undefined) {
      i = this.files.size;
      this.files.set(file, i);
    }
    this.lastFile = file;
    this.lastIndex = i;
    return i;
  }

  nameIndex(name: string): number {
    let i = this.names.get(name);
    if (i === undefined) {
      i = this.names.size;
      this.names.set(name, i);
    }
    return i;
  }

  function(name: string, body: CodeWriter): FunctionLines {
    return new FunctionLines(this, name, body);
  }

  /** Adds a lowered function at wasm index `index`; `prologueLength` places its body. */
  add(index: number, lines: FunctionLines, prologueLength: number): void {
    this.functions.push({ index, lines, rows: lines.finalRows(prologueLength) });
  }

  encode(): Uint8Array {
    let size = 16;
    for (const f of this.functions) size += 16 + f.rows.length + 8 * f.lines.scopes.length;
    const w = new ByteWriter(size);
    w.byte(VERSION);
    w.u32(this.files.size);
    for (const name of this.files.keys()) w.name(name);
    const own = this.functions.map((f) => this.nameIndex(f.lines.name));
    w.u32(this.names.size);
    for (const name of this.names.keys()) w.name(name);
    w.u32(this.functions.length);
    this.functions.forEach(({ index, lines, rows }, i) => {
      w.u32(index);
      w.u32(own[i]!);
      w.u32(lines.scopes.length);
      for (const s of lines.scopes) {
        w.u32(s.parent);
        w.u32(s.name);
        w.u32(s.file);
        w.u32(s.line);
        w.u32(s.col);
      }
      w.u32(rows.length / 5);
      let offset = 0;
      let scope = 0;
      let file = 0;
      let line = 0;
      for (let i = 0; i < rows.length; i += 5) {
        const context = rows[i + 1] !== scope || rows[i + 2] !== file;
        const lineChanged = rows[i + 3] !== line;
        w.u32((rows[i]! - offset) * 4 + (lineChanged ? 2 : 0) + (context ? 1 : 0));
        offset = rows[i]!;
        if (context) {
          scope = rows[i + 1]!;
          file = rows[i + 2]!;
          w.u32(scope);
          w.u32(file);
        }
        if (lineChanged) {
          w.s32(rows[i + 3]! - line);
          line = rows[i + 3]!;
        }
        w.u32(rows[i + 4]!);
      }
    });
    return w.finish();
  }
}

/**
 * Where an expression starts in the source: its leftmost token (`p` of `p[i]`, `f` of `f(x)`),
 * which is where a reader looks, rather than the operator the parser located it at.
 */
export function startOf(e: Expr): Loc {
  let best = e.loc;
  for (let x: Expr | undefined = e; x; x = leftOperand(x)) {
    const l = x.loc;
    if (l.file === best.file && (l.line < best.line || (l.line === best.line && l.col < best.col)))
      best = l;
  }
  return best;
}

function leftOperand(e: Expr): Expr | undefined {
  switch (e.k) {
    case "binary":
    case "logical":
    case "comma":
      return e.l;
    case "assign":
      return e.lv;
    case "deref":
      return e.ptr;
    case "member":
      return e.base;
    case "cond":
      return e.c;
    case "cast":
      return e.arg;
    case "call":
      return e.callee;
    case "addr":
      return e.lv;
    default:
      return undefined;
  }
}

// ---- reading ----------------------------------------------------------------------------------

interface DecodedFunction {
  index: number;
  name: string;
  /** Module offsets of the function's first instruction and of its end. */
  start: number;
  end: number;
  scopes: Scope[];
  /** Rows: module offset, scope, file, line, col (flat). */
  rows: number[];
}

/** A module's decoded line table: code offsets to C frames. */
export class LineTable {
  constructor(
    readonly files: readonly string[],
    private readonly functions: readonly DecodedFunction[],
  ) {}

  /** The C name of a wasm function, if the table has it. */
  functionName(index: number): string | undefined {
    return this.functions.find((f) => f.index === index)?.name;
  }

  /**
   * The C frames at a module-relative code offset (as V8 reports it), innermost first: the
   * inlined functions, then the wasm function itself. Empty when the offset is not in a
   * function with rows (an `$entry` wrapper, the start function).
   */
  frames(offset: number, funcIndex?: number): SourceFrame[] {
    const f = this.functions.find(
      (x) =>
        (funcIndex === undefined || x.index === funcIndex) && offset >= x.start && offset < x.end,
    );
    if (!f) return [];
    const rows = f.rows;
    // The last row at or before the offset (rows are sorted by offset).
    let lo = 0;
    let hi = rows.length / 5 - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid * 5]! <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return [];
    const r = found * 5;
    const out: SourceFrame[] = [];
    let scope = rows[r + 1]!;
    let at = { file: this.files[rows[r + 2]!] ?? "?", line: rows[r + 3]!, col: rows[r + 4]! };
    while (scope > 0) {
      const s = f.scopes[scope - 1];
      if (!s) break;
      out.push({ function: s.name, ...at, inlined: true });
      at = { file: this.files[s.file] ?? "?", line: s.line, col: s.col };
      scope = s.parent;
    }
    out.push({ function: f.name, ...at, inlined: false });
    return out;
  }

  /** Every row, in module coordinates, for linking code and source both ways. */
  rows(): LineRow[] {
    const out: LineRow[] = [];
    for (const f of this.functions) {
      for (let i = 0; i < f.rows.length; i += 5) {
        const scope = f.rows[i + 1]!;
        out.push({
          func: f.index,
          offset: f.rows[i]!,
          end: i + 5 < f.rows.length ? f.rows[i + 5]! : f.end,
          file: this.files[f.rows[i + 2]!] ?? "?",
          line: f.rows[i + 3]!,
          col: f.rows[i + 4]!,
          function: scope > 0 ? (f.scopes[scope - 1]?.name ?? f.name) : f.name,
        });
      }
    }
    return out;
  }
}

/**
 * Decodes the line table of a compiled module; undefined when it has none (a foreign module,
 * or one compiled before line tables) or when the table is malformed (it is advisory).
 */
export function decodeLineTable(wasm: Uint8Array): LineTable | undefined {
  try {
    const m = decodeModule(wasm);
    const section = m.customs.find((c) => c.name === LINES_SECTION);
    if (!section) return undefined;
    const imported = m.imports.filter((i) => i.kind === "func").length;
    const base = wasm.byteOffset;
    const r = new Reader(section.bytes, 0, section.bytes.length);
    if (r.u8() !== VERSION) return undefined;
    const files: string[] = [];
    for (let n = r.count(); n > 0; n--) files.push(r.name());
    const names: string[] = [];
    for (let n = r.count(); n > 0; n--) names.push(r.name());
    const nameAt = (i: number) => names[i] ?? "?";
    const functions: DecodedFunction[] = [];
    for (let n = r.count(); n > 0; n--) {
      const index = r.u32();
      const name = nameAt(r.u32());
      const body = m.code[index - imported]?.body;
      if (!body) return undefined;
      const start = body.byteOffset - base;
      const scopes: Scope[] = [];
      for (let k = r.count(); k > 0; k--) {
        scopes.push({
          parent: r.u32(),
          name: nameAt(r.u32()),
          file: r.u32(),
          line: r.u32(),
          col: r.u32(),
        });
      }
      const rows: number[] = [];
      let offset = start;
      let scope = 0;
      let file = 0;
      let line = 0;
      for (let k = r.count(); k > 0; k--) {
        const head = r.u32();
        offset += Math.floor(head / 4);
        if (head & 1) {
          scope = r.u32();
          file = r.u32();
        }
        if (head & 2) line += r.s32();
        rows.push(offset, scope, file, line, r.u32());
      }
      functions.push({ index, name, start, end: start + body.length, scopes, rows });
    }
    return new LineTable(files, functions);
  } catch {
    return undefined;
  }
}
