// Prints a module in the WebAssembly text format (flat instructions, indented by block depth),
// for `kplug compile --wat` and for reading test failures. Functions and globals are named after
// their import or export where one exists; everything else is referenced by index. The output
// is meant to be re-assembled by wat2wasm into the same module (custom sections excepted: the
// text format has no syntax for them, so they are listed in comments above the module).

import {
  type DecodedConstExpr,
  type DecodedModule,
  decodeInstructions,
  decodeModule,
  type Instruction,
} from "./decoder.ts";
import type { BlockType, FuncType, Limits } from "./encoder.ts";
import { Op } from "./opcodes.ts";
import { simdNaturalAlignment } from "./simd-opcodes.ts";

const SIMD_PREFIX = 0xfd;

export function toWat(bytes: Uint8Array): string {
  return `${watLines(bytes)
    .map((l) => l.text)
    .join("\n")}\n`;
}

/** A line of `toWat`'s text; an instruction's line carries where the instruction is. */
export interface WatLine {
  text: string;
  /** Module-relative byte offset of the instruction (what V8 and the line table use). */
  offset?: number;
  /** Index of the function it belongs to. */
  func?: number;
}

/** `toWat`'s text as lines, each instruction with its code offset (for linking to source). */
export function watLines(bytes: Uint8Array): WatLine[] {
  const m = decodeModule(bytes);
  const names = nameEntities(m);
  const out: WatLine[] = [];
  const text = (t: string): void => {
    out.push({ text: t });
  };
  for (const c of m.customs) {
    text(`;; custom section ${quote(c.name)}, ${c.bytes.length} bytes`);
  }
  text("(module");
  const funcRef = (i: number) => names.funcs.get(i) ?? String(i);
  const globalRef = (i: number) => names.globals.get(i) ?? String(i);
  // Where a function or global is defined, an unnamed one gets its index as a comment.
  const funcId = (i: number) => names.funcs.get(i) ?? `(;${i};)`;
  const globalId = (i: number) => names.globals.get(i) ?? `(;${i};)`;
  const constExpr = (e: DecodedConstExpr) => printConstExpr(e, globalRef);

  m.types.forEach((t, i) => {
    text(`  (type (;${i};) (func${signature(t)}))`);
  });
  let funcs = 0;
  let tables = 0;
  let memories = 0;
  let globals = 0;
  for (const imp of m.imports) {
    let desc: string;
    if (imp.kind === "func") desc = `(func ${funcId(funcs++)} ${typeUse(m, imp.type)})`;
    else if (imp.kind === "table") desc = `(table (;${tables++};) ${limits(imp.limits)} funcref)`;
    else if (imp.kind === "memory") desc = `(memory (;${memories++};) ${limits(imp.limits)})`;
    else if (imp.kind === "tag") desc = `(tag ${typeUse(m, imp.type)})`;
    else desc = `(global ${globalId(globals++)} ${globalType(imp.type, imp.mutable)})`;
    text(`  (import ${quote(imp.module)} ${quote(imp.name)} ${desc})`);
  }
  for (const t of m.tables) text(`  (table (;${tables++};) ${limits(t)} funcref)`);
  for (const mem of m.memories) text(`  (memory (;${memories++};) ${limits(mem)})`);
  for (const g of m.globals) {
    const id = globalId(globals++);
    text(`  (global ${id} ${globalType(g.type, g.mutable)} ${constExpr(g.init)})`);
  }
  m.functions.forEach((type, i) => {
    const code = m.code[i]!;
    text(`  (func ${funcId(funcs++)} ${typeUse(m, type)}`);
    if (code.locals.length > 0) text(`    (local ${code.locals.join(" ")})`);
    const index = funcs - 1;
    const bodyAt = code.body.byteOffset - bytes.byteOffset;
    printBody(code.body, funcRef, globalRef, (t, offset) =>
      out.push({ text: t, offset: bodyAt + offset, func: index }),
    );
    out[out.length - 1]!.text += ")";
  });
  for (const e of m.exports) {
    const ref =
      e.kind === "func" ? funcRef(e.index) : e.kind === "global" ? globalRef(e.index) : e.index;
    text(`  (export ${quote(e.name)} (${e.kind} ${ref}))`);
  }
  if (m.start !== undefined) text(`  (start ${funcRef(m.start)})`);
  m.elements.forEach((e, i) => {
    const funcList = e.funcs.map(funcRef).join(" ");
    text(`  (elem (;${i};) ${constExpr(e.offset)} func ${funcList})`);
  });
  m.data.forEach((d, i) => {
    text(`  (data (;${i};) ${constExpr(d.offset)} ${quote(d.bytes)})`);
  });
  out[out.length - 1]!.text += ")";
  return out;
}

interface Names {
  funcs: Map<number, string>;
  globals: Map<number, string>;
}

/** `$name` identifiers for functions and globals, from imports first, then exports. */
function nameEntities(m: DecodedModule): Names {
  const names: Names = { funcs: new Map(), globals: new Map() };
  const used = { funcs: new Set<string>(), globals: new Set<string>() };
  const assign = (space: keyof Names, index: number, name: string) => {
    if (names[space].has(index)) return;
    const base = `$${name.replace(/[^0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]/g, "_") || "_"}`;
    let id = base;
    for (let n = 1; used[space].has(id); n++) id = `${base}.${n}`;
    used[space].add(id);
    names[space].set(index, id);
  };
  let funcs = 0;
  let globals = 0;
  for (const imp of m.imports) {
    if (imp.kind === "func") assign("funcs", funcs++, imp.name);
    else if (imp.kind === "global") assign("globals", globals++, imp.name);
  }
  for (const e of m.exports) {
    if (e.kind === "func") assign("funcs", e.index, e.name);
    else if (e.kind === "global") assign("globals", e.index, e.name);
  }
  return names;
}

function printBody(
  body: Uint8Array,
  funcRef: (i: number) => string,
  globalRef: (i: number) => string,
  line: (text: string, offset: number) => void,
): void {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let depth = 0;
  for (const ins of decodeInstructions(body)) {
    const arm = ins.opcode === Op.else || ins.opcode === Op.catch || ins.opcode === Op.catch_all;
    if (ins.opcode === Op.end || ins.opcode === Op.delegate || arm) depth--;
    if (depth < 0) break; // the function's own final end
    line(`${"  ".repeat(depth + 2)}${instruction(ins, view, funcRef, globalRef)}`, ins.offset);
    if (ins.blockType !== undefined || arm) depth++;
  }
}

function instruction(
  ins: Instruction,
  body: DataView,
  funcRef: (i: number) => string,
  globalRef: (i: number) => string,
): string {
  const { name } = ins;
  if (ins.opcode === SIMD_PREFIX) return simdInstruction(ins);
  if (ins.blockType !== undefined) return `${name}${blockType(ins.blockType)}`;
  if (ins.depths) return `${name} ${[...ins.depths, ins.index].join(" ")}`;
  if (ins.opcode === Op.call) return `${name} ${funcRef(ins.index!)}`;
  if (ins.opcode === Op.call_indirect) {
    return `${name}${ins.table ? ` ${ins.table}` : ""} (type ${ins.index})`;
  }
  if (ins.opcode === Op.global_get || ins.opcode === Op.global_set) {
    return `${name} ${globalRef(ins.index!)}`;
  }
  if (ins.index !== undefined) return `${name} ${ins.index}`;
  if (ins.align !== undefined) {
    let text = name;
    if (ins.memOffset) text += ` offset=${ins.memOffset}`;
    if (2 ** ins.align !== naturalAlignment(name)) text += ` align=${2 ** ins.align}`;
    return text;
  }
  // Floats are printed from their bits so that NaN payloads and -0 survive.
  if (ins.opcode === Op.f32_const)
    return `${name} ${f32Text(body.getUint32(ins.offset + 1, true))}`;
  if (ins.opcode === Op.f64_const) {
    return `${name} ${f64Text(body.getBigUint64(ins.offset + 1, true))}`;
  }
  if (ins.value !== undefined) return `${name} ${ins.value}`;
  return name;
}

/** A 0xfd instruction: memarg (and lane), lane, v128.const as i32x4, or shuffle lanes. */
function simdInstruction(ins: Instruction): string {
  let text = ins.name;
  if (ins.align !== undefined) {
    if (ins.memOffset) text += ` offset=${ins.memOffset}`;
    if (2 ** ins.align !== simdNaturalAlignment(ins.name)) text += ` align=${2 ** ins.align}`;
  }
  if (ins.lane !== undefined) text += ` ${ins.lane}`;
  if (ins.bytes && ins.name === "v128.const") {
    const v = new DataView(ins.bytes.buffer, ins.bytes.byteOffset, 16);
    const words = [0, 4, 8, 12].map((k) => `0x${v.getUint32(k, true).toString(16)}`);
    text += ` i32x4 ${words.join(" ")}`;
  } else if (ins.bytes) {
    text += ` ${[...ins.bytes].join(" ")}`;
  }
  return text;
}

/** Bytes accessed by a load or store: "i64.load32_u" -> 4, "f64.store" -> 8. */
function naturalAlignment(name: string): number {
  const width = /(8|16|32)(_[su])?$/.exec(name.slice(name.indexOf(".")));
  if (width) return Number(width[1]) / 8;
  return name.startsWith("i64") || name.startsWith("f64") ? 8 : 4;
}

function f32Text(bits: number): string {
  const sign = bits >>> 31 ? "-" : "";
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return mantissa ? `${sign}nan:0x${mantissa.toString(16)}` : `${sign}inf`;
  const value = new DataView(new Uint32Array([bits]).buffer).getFloat32(0, true);
  return floatText(value, sign);
}

function f64Text(bits: bigint): string {
  const sign = bits >> 63n ? "-" : "";
  const exponent = (bits >> 52n) & 0x7ffn;
  const mantissa = bits & 0xfffffffffffffn;
  if (exponent === 0x7ffn) return mantissa ? `${sign}nan:0x${mantissa.toString(16)}` : `${sign}inf`;
  const value = new DataView(new BigUint64Array([bits]).buffer).getFloat64(0, true);
  return floatText(value, sign);
}

/** JavaScript's shortest round-trip decimal; it also reads back exactly as an f32 value. */
function floatText(value: number, sign: string): string {
  return `${sign}${Math.abs(value)}`;
}

function printConstExpr(e: DecodedConstExpr, globalRef: (i: number) => string): string {
  if ("global" in e) return `(global.get ${globalRef(e.global)})`;
  if ("i32" in e) return `(i32.const ${e.i32})`;
  if ("i64" in e) return `(i64.const ${e.i64})`;
  const f = new DataView(new ArrayBuffer(8));
  if ("f32" in e) {
    f.setFloat32(0, e.f32, true);
    return `(f32.const ${f32Text(f.getUint32(0, true))})`;
  }
  f.setFloat64(0, e.f64, true);
  return `(f64.const ${f64Text(f.getBigUint64(0, true))})`;
}

function signature(t: FuncType): string {
  const params = t.params.length ? ` (param ${t.params.join(" ")})` : "";
  const results = t.results.length ? ` (result ${t.results.join(" ")})` : "";
  return params + results;
}

/** `(type N)` plus the inline signature, which wat2wasm checks against the type. */
function typeUse(m: DecodedModule, type: number): string {
  const t = m.types[type];
  return `(type ${type})${t ? signature(t) : ""}`;
}

function blockType(t: BlockType): string {
  if (t === "void") return "";
  if (typeof t === "string") return ` (result ${t})`;
  return ` (type ${t.typeIndex})`;
}

function limits(l: Limits): string {
  return l.max === undefined ? `${l.min}` : `${l.min} ${l.max}`;
}

function globalType(type: string, mutable: boolean): string {
  return mutable ? `(mut ${type})` : type;
}

/** A text-format string literal; non-printable bytes and non-ASCII become `\hh` escapes. */
function quote(value: string | Uint8Array): string {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  let s = '"';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) s += String.fromCharCode(b);
    else s += `\\${b.toString(16).padStart(2, "0")}`;
  }
  return `${s}"`;
}
