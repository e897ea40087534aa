// A small, strict decoder for the subset of the WebAssembly binary format that wasm/encoder.ts
// emits. Tests, the WAT printer and tools use it to look inside compiled modules. Every read is
// bounds-checked and every malformed input ends in a WasmDecodeError naming the byte offset, so
// a hostile or truncated module can never escape as a RangeError or an endless loop.

import type { BlockType, FuncType, Limits } from "./encoder.ts";
import {
  EMPTY_BLOCK,
  FUNCREF,
  Op,
  OpFC,
  type OpFCName,
  type OpName,
  Section,
  type ValType,
} from "./opcodes.ts";
import { SIMD_OPS, type SimdImmediate } from "./simd-opcodes.ts";

export class WasmDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`wasm decode: ${message} at offset ${offset}`);
    this.name = "WasmDecodeError";
  }
}

/** A constant expression; a superset of the encoder's `ConstExpr`. */
export type DecodedConstExpr =
  | { i32: number }
  | { i64: bigint }
  | { f32: number }
  | { f64: number }
  | { global: number };

export type ExternKind = "func" | "table" | "memory" | "global";

export type DecodedImport =
  | { module: string; name: string; kind: "func"; type: number }
  | { module: string; name: string; kind: "table"; limits: Limits }
  | { module: string; name: string; kind: "memory"; limits: Limits }
  | { module: string; name: string; kind: "global"; type: ValType; mutable: boolean }
  /** An exception tag (kind 4); `type` is the function type of its payload. */
  | { module: string; name: string; kind: "tag"; type: number };

export interface DecodedGlobal {
  type: ValType;
  mutable: boolean;
  init: DecodedConstExpr;
}

export interface DecodedExport {
  name: string;
  kind: ExternKind;
  index: number;
}

export interface DecodedCode {
  /** One entry per local (the run-length groups expanded), parameters excluded. */
  locals: ValType[];
  /** The instruction bytes including the function's final `end`. */
  body: Uint8Array;
}

export interface DecodedModule {
  types: FuncType[];
  imports: DecodedImport[];
  /** Type index of each function defined by the module (imported ones excluded). */
  functions: number[];
  tables: Limits[];
  memories: Limits[];
  globals: DecodedGlobal[];
  exports: DecodedExport[];
  start?: number;
  /** Active element segments for table 0. */
  elements: { offset: DecodedConstExpr; funcs: number[] }[];
  dataCount?: number;
  code: DecodedCode[];
  /** Active data segments for memory 0. */
  data: { offset: DecodedConstExpr; bytes: Uint8Array }[];
  customs: { name: string; bytes: Uint8Array }[];
}

/** V8's limit; also keeps a hostile local count from expanding into gigabytes. */
const MAX_LOCALS = 50_000;

const VAL_TYPES: Record<number, ValType> = {
  127: "i32",
  126: "i64",
  125: "f32",
  124: "f64",
  123: "v128",
};
const EXTERN_KINDS: readonly ExternKind[] = ["func", "table", "memory", "global"];
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A bounds-checked cursor over `bytes[pos, end)` (shared by the custom-section readers). */
export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    public end: number,
  ) {}

  fail(message: string, at = this.pos): never {
    throw new WasmDecodeError(message, at);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail("unexpected end");
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128, at most 32 bits. */
  u32(): number {
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.u8();
      if (shift === 28 && (b & 0x70) !== 0) this.fail("u32 LEB128 overflow", start);
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    return this.fail("u32 LEB128 longer than 5 bytes", start);
  }

  /** Signed LEB128, at most 32 bits. */
  s32(): number {
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.u8();
      if (shift === 28) {
        // The unused high bits of the fifth byte must repeat the sign bit (bit 3).
        const high = b & 0x70;
        if (high !== ((b & 0x08) !== 0 ? 0x70 : 0)) this.fail("s32 LEB128 overflow", start);
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        return shift < 25 && (b & 0x40) !== 0 ? result | (-1 << (shift + 7)) : result;
      }
    }
    return this.fail("s32 LEB128 longer than 5 bytes", start);
  }

  /** Signed LEB128, at most 64 bits. */
  s64(): bigint {
    const start = this.pos;
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.u8();
      if (shift === 63n && b !== 0 && b !== 0x7f) this.fail("s64 LEB128 overflow", start);
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0)
        return BigInt.asIntN(64, (b & 0x40) !== 0 ? result - (1n << (shift + 7n)) : result);
    }
    return this.fail("s64 LEB128 longer than 10 bytes", start);
  }

  take(n: number): Uint8Array {
    if (n > this.end - this.pos) this.fail(`${n} bytes needed, ${this.end - this.pos} left`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  f32(): number {
    const b = this.take(4);
    return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
  }

  f64(): number {
    const b = this.take(8);
    return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
  }

  name(): string {
    const start = this.pos;
    const bytes = this.take(this.u32());
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail("name is not valid UTF-8", start);
    }
  }

  valType(): ValType {
    const at = this.pos;
    return VAL_TYPES[this.u8()] ?? this.fail("unknown value type", at);
  }

  /** A vector count, sanity-checked against the bytes left (every element takes ≥ 1 byte). */
  count(): number {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - this.pos) this.fail(`count ${n} exceeds the remaining bytes`, at);
    return n;
  }

  limits(): Limits {
    const at = this.pos;
    const flag = this.u8();
    if (flag === 0) return { min: this.u32() };
    if (flag === 1 || flag === 3) {
      const min = this.u32();
      const max = this.u32();
      if (max < min) this.fail("limits maximum below minimum", at);
      // Flag 3: a shared memory (threads). Decoded so a verifier can refuse it by name.
      return flag === 3 ? { min, max, shared: true } : { min, max };
    }
    return this.fail(`unknown limits flag ${flag}`, at);
  }

  tableType(): Limits {
    if (this.u8() !== FUNCREF) this.fail("table element type is not funcref", this.pos - 1);
    return this.limits();
  }

  constExpr(): DecodedConstExpr {
    const at = this.pos;
    const op = this.u8();
    let expr: DecodedConstExpr;
    if (op === Op.i32_const) expr = { i32: this.s32() };
    else if (op === Op.i64_const) expr = { i64: this.s64() };
    else if (op === Op.f32_const) expr = { f32: this.f32() };
    else if (op === Op.f64_const) expr = { f64: this.f64() };
    else if (op === Op.global_get) expr = { global: this.u32() };
    else return this.fail(`unsupported constant expression opcode 0x${op.toString(16)}`, at);
    if (this.u8() !== Op.end) this.fail("constant expression not terminated by end", this.pos - 1);
    return expr;
  }
}

/** Order rank of each non-custom section: the data count section sits between element and code. */
const SECTION_ORDER: Record<number, number> = {
  [Section.type]: 1,
  [Section.import]: 2,
  [Section.function]: 3,
  [Section.table]: 4,
  [Section.memory]: 5,
  [Section.global]: 6,
  [Section.export]: 7,
  [Section.start]: 8,
  [Section.element]: 9,
  [Section.dataCount]: 10,
  [Section.code]: 11,
  [Section.data]: 12,
};

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function decodeModule(bytes: Uint8Array): DecodedModule {
  const r = new Reader(bytes, 0, bytes.length);
  for (let i = 0; i < HEADER.length; i++) {
    if (r.u8() !== HEADER[i])
      r.fail(i < 4 ? "not a wasm module (bad magic)" : "unsupported version", i);
  }
  const m: DecodedModule = {
    types: [],
    imports: [],
    functions: [],
    tables: [],
    memories: [],
    globals: [],
    exports: [],
    elements: [],
    code: [],
    data: [],
    customs: [],
  };
  let lastRank = 0;
  while (!r.done) {
    const idAt = r.pos;
    const id = r.u8();
    const size = r.u32();
    const sectionStart = r.pos;
    if (size > r.end - r.pos) r.fail(`section ${id} size ${size} exceeds the module`, idAt);
    const s = new Reader(bytes, sectionStart, sectionStart + size);
    if (id === Section.custom) {
      m.customs.push({ name: s.name(), bytes: s.take(s.end - s.pos) });
    } else {
      const rank = SECTION_ORDER[id] ?? r.fail(`unknown section id ${id}`, idAt);
      if (rank <= lastRank) r.fail(`section ${id} duplicated or out of order`, idAt);
      lastRank = rank;
      readSection(s, id, m);
    }
    if (!s.done) s.fail(`section ${id} has ${s.end - s.pos} trailing bytes`);
    r.pos = s.end;
  }
  if (m.functions.length !== m.code.length) {
    r.fail(`${m.functions.length} functions declared but ${m.code.length} bodies`);
  }
  if (m.dataCount !== undefined && m.dataCount !== m.data.length) {
    r.fail(`data count ${m.dataCount} but ${m.data.length} data segments`);
  }
  return m;
}

function readSection(s: Reader, id: number, m: DecodedModule): void {
  if (id === Section.start) {
    m.start = s.u32();
    return;
  }
  if (id === Section.dataCount) {
    m.dataCount = s.u32();
    return;
  }
  const n = s.count();
  for (let i = 0; i < n; i++) {
    switch (id) {
      case Section.type:
        m.types.push(readFuncType(s));
        break;
      case Section.import:
        m.imports.push(readImport(s));
        break;
      case Section.function:
        m.functions.push(s.u32());
        break;
      case Section.table:
        m.tables.push(s.tableType());
        break;
      case Section.memory:
        m.memories.push(s.limits());
        break;
      case Section.global: {
        const type = s.valType();
        m.globals.push({ type, mutable: readMutability(s), init: s.constExpr() });
        break;
      }
      case Section.export: {
        const name = s.name();
        const at = s.pos;
        const kind = EXTERN_KINDS[s.u8()] ?? s.fail("unknown export kind", at);
        m.exports.push({ name, kind, index: s.u32() });
        break;
      }
      case Section.element: {
        const at = s.pos;
        const flags = s.u32();
        if (flags !== 0) s.fail(`unsupported element segment kind ${flags}`, at);
        const offset = s.constExpr();
        const funcs: number[] = [];
        for (let k = s.count(); k > 0; k--) funcs.push(s.u32());
        m.elements.push({ offset, funcs });
        break;
      }
      case Section.code:
        m.code.push(readCode(s));
        break;
      case Section.data: {
        const at = s.pos;
        const flags = s.u32();
        if (flags !== 0) s.fail(`unsupported data segment kind ${flags}`, at);
        const offset = s.constExpr();
        m.data.push({ offset, bytes: s.take(s.u32()) });
        break;
      }
    }
  }
}

function readFuncType(s: Reader): FuncType {
  if (s.u8() !== 0x60) s.fail("function type does not start with 0x60", s.pos - 1);
  const params: ValType[] = [];
  for (let k = s.count(); k > 0; k--) params.push(s.valType());
  const results: ValType[] = [];
  for (let k = s.count(); k > 0; k--) results.push(s.valType());
  return { params, results };
}

function readMutability(s: Reader): boolean {
  const flag = s.u8();
  if (flag > 1) s.fail(`bad global mutability ${flag}`, s.pos - 1);
  return flag === 1;
}

function readImport(s: Reader): DecodedImport {
  const module = s.name();
  const name = s.name();
  const at = s.pos;
  switch (s.u8()) {
    case 0:
      return { module, name, kind: "func", type: s.u32() };
    case 1:
      return { module, name, kind: "table", limits: s.tableType() };
    case 2:
      return { module, name, kind: "memory", limits: s.limits() };
    case 3: {
      const type = s.valType();
      return { module, name, kind: "global", type, mutable: readMutability(s) };
    }
    case 4: {
      if (s.u8() !== 0) s.fail("unknown tag attribute", s.pos - 1);
      return { module, name, kind: "tag", type: s.u32() };
    }
    default:
      return s.fail("unknown import kind", at);
  }
}

function readCode(s: Reader): DecodedCode {
  const size = s.u32();
  if (size > s.end - s.pos) s.fail(`function body size ${size} exceeds the section`);
  const f = new Reader(s.bytes, s.pos, s.pos + size);
  s.pos = f.end;
  const locals: ValType[] = [];
  for (let groups = f.count(); groups > 0; groups--) {
    const at = f.pos;
    const n = f.u32();
    if (locals.length + n > MAX_LOCALS) f.fail(`more than ${MAX_LOCALS} locals`, at);
    const type = f.valType();
    for (let k = 0; k < n; k++) locals.push(type);
  }
  return { locals, body: f.take(f.end - f.pos) };
}

// ---------------------------------------------------------------------------------------------
// Instructions

/** One decoded instruction; which immediate fields are present depends on the opcode. */
export interface Instruction {
  /** Offset of the opcode within the body. */
  offset: number;
  /** Offset just past the instruction (its immediates included). */
  next: number;
  /** Text-format mnemonic, e.g. "i32.load", "br_table", "i32.trunc_sat_f64_u". */
  name: string;
  /** The opcode byte (0xfc or 0xfd for prefixed instructions, whose sub-opcode is in `sub`). */
  opcode: number;
  sub?: number;
  blockType?: BlockType;
  /** The single index immediate: label depth, function, local, global or type index. */
  index?: number;
  /** call_indirect's table index. */
  table?: number;
  /** br_table's label depths (the default is `index`). */
  depths?: number[];
  /** Memory access: log2 of the alignment hint, and the static offset. */
  align?: number;
  memOffset?: number;
  value?: number | bigint;
  /** SIMD: the lane index of extract/replace/load_lane/store_lane. */
  lane?: number;
  /** SIMD: v128.const's 16 bytes, or i8x16.shuffle's 16 lane indices. */
  bytes?: Uint8Array;
}

type Immediate =
  | "none"
  | "block"
  | "label"
  | "br_table"
  | "func"
  | "tag"
  | "call_indirect"
  | "local"
  | "global"
  | "memarg"
  | "memory"
  | "memory2"
  | "i32"
  | "i64"
  | "f32"
  | "f64";

interface OpInfo {
  name: string;
  immediate: Immediate;
}

/** "i32_load" -> "i32.load", "local_get" -> "local.get", "br_if" stays. */
function mnemonic(key: string): string {
  return /^(i32|i64|f32|f64|local|global|memory)_/.test(key) ? key.replace("_", ".") : key;
}

function immediateOf(key: OpName): Immediate {
  const op = Op[key];
  if (op === Op.block || op === Op.loop || op === Op.if || op === Op.try) return "block";
  if (op === Op.br || op === Op.br_if || op === Op.rethrow || op === Op.delegate) return "label";
  if (op === Op.catch || op === Op.throw) return "tag";
  if (op === Op.br_table) return "br_table";
  if (op === Op.call) return "func";
  if (op === Op.call_indirect) return "call_indirect";
  if (op >= Op.local_get && op <= Op.local_tee) return "local";
  if (op === Op.global_get || op === Op.global_set) return "global";
  if (op >= Op.i32_load && op <= Op.i64_store32) return "memarg";
  if (op === Op.memory_size || op === Op.memory_grow) return "memory";
  if (op === Op.i32_const) return "i32";
  if (op === Op.i64_const) return "i64";
  if (op === Op.f32_const) return "f32";
  if (op === Op.f64_const) return "f64";
  return "none";
}

const OPS: (OpInfo | undefined)[] = [];
for (const key of Object.keys(Op) as OpName[]) {
  OPS[Op[key]] = { name: mnemonic(key), immediate: immediateOf(key) };
}
const FC_OPS: (OpInfo | undefined)[] = [];
for (const key of Object.keys(OpFC) as OpFCName[]) {
  const immediate =
    key === "memory_copy" ? "memory2" : key === "memory_fill" ? "memory" : ("none" as const);
  FC_OPS[OpFC[key]] = { name: mnemonic(key), immediate };
}

/**
 * Decodes a function body (as in `DecodedCode.body`, final `end` included). Checks that blocks
 * nest properly, that `else` only appears inside `if`, and that the final `end` is the last byte.
 */
export function decodeInstructions(body: Uint8Array): Instruction[] {
  const out: Instruction[] = [];
  forEachInstruction(body, (ins) => out.push(ins));
  return out;
}

/**
 * Like decodeInstructions, but hands each instruction to `visit` instead of keeping them all:
 * a rewriter walking a large body then holds one instruction at a time, not millions.
 */
export function forEachInstruction(body: Uint8Array, visit: (ins: Instruction) => void): void {
  // Annotated so TypeScript narrows after `r.fail(...)`, which never returns.
  const r: Reader = new Reader(body, 0, body.length);
  const openIsIf: boolean[] = []; // one entry per open block: is it an `if`?
  while (!r.done) {
    const offset = r.pos;
    const opcode = r.u8();
    let info: OpInfo | undefined;
    let sub: number | undefined;
    if (opcode === 0xfc) {
      sub = r.u32();
      info = FC_OPS[sub];
    } else if (opcode === 0xfd) {
      sub = r.u32();
      const simd = SIMD_OPS[sub];
      if (!simd) r.fail(`unknown opcode 0xfd ${sub}`, offset);
      const ins: Instruction = { offset, next: 0, name: simd.name, opcode, sub };
      readSimdImmediate(r, simd.immediate, ins);
      ins.next = r.pos;
      visit(ins);
      continue;
    } else {
      info = OPS[opcode];
    }
    if (!info) {
      const code = sub === undefined ? opcode.toString(16) : `fc ${sub}`;
      r.fail(`unknown opcode 0x${code}`, offset);
    }
    const ins: Instruction = { offset, next: 0, name: info.name, opcode };
    if (sub !== undefined) ins.sub = sub;
    readImmediate(r, info.immediate, ins);
    ins.next = r.pos;
    visit(ins);

    if (info.immediate === "block") openIsIf.push(opcode === Op.if);
    else if (opcode === Op.else) {
      if (!openIsIf[openIsIf.length - 1]) r.fail("else outside an if", offset);
      openIsIf[openIsIf.length - 1] = false; // a second else is an error
    } else if (opcode === Op.end || opcode === Op.delegate) {
      if (openIsIf.length === 0) {
        if (!r.done) r.fail("instructions after the function's final end");
        return;
      }
      openIsIf.pop();
    }
  }
  r.fail("function body not terminated by end");
}

function readImmediate(r: Reader, immediate: Immediate, ins: Instruction): void {
  switch (immediate) {
    case "none":
      return;
    case "block":
      ins.blockType = readBlockType(r);
      return;
    case "label":
    case "func":
    case "tag":
    case "local":
    case "global":
      ins.index = r.u32();
      return;
    case "br_table": {
      const depths: number[] = [];
      for (let n = r.count(); n > 0; n--) depths.push(r.u32());
      ins.depths = depths;
      ins.index = r.u32();
      return;
    }
    case "call_indirect":
      ins.index = r.u32();
      ins.table = r.u32();
      return;
    case "memarg":
      ins.align = r.u32();
      ins.memOffset = r.u32();
      return;
    case "memory2":
      readMemoryZero(r);
      readMemoryZero(r);
      return;
    case "memory":
      readMemoryZero(r);
      return;
    case "i32":
      ins.value = r.s32();
      return;
    case "i64":
      ins.value = r.s64();
      return;
    case "f32":
      ins.value = r.f32();
      return;
    case "f64":
      ins.value = r.f64();
      return;
  }
}

function readSimdImmediate(r: Reader, immediate: SimdImmediate, ins: Instruction): void {
  switch (immediate) {
    case "none":
      return;
    case "memarg":
    case "memarg_lane":
      ins.align = r.u32();
      ins.memOffset = r.u32();
      if (immediate === "memarg_lane") ins.lane = r.u8();
      return;
    case "lane":
      ins.lane = r.u8();
      return;
    case "v128":
    case "shuffle":
      ins.bytes = r.take(16);
      return;
  }
}

function readMemoryZero(r: Reader): void {
  if (r.u8() !== 0) r.fail("memory index must be 0", r.pos - 1);
}

function readBlockType(r: Reader): BlockType {
  const at = r.pos;
  const b = r.u8();
  if (b === EMPTY_BLOCK) return "void";
  const valType = VAL_TYPES[b];
  if (valType) return valType;
  r.pos = at;
  const typeIndex = r.s32();
  if (typeIndex < 0) r.fail("bad block type", at);
  return { typeIndex };
}
