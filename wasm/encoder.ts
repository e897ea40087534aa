// WebAssembly binary encoder: a growable byte buffer, a function-body writer and a module
// builder. It checks nothing about typing (the compiler is responsible for valid code; tests
// validate with wabt); it only guarantees a well-formed binary layout.

import {
  EMPTY_BLOCK,
  FUNCREF,
  Op,
  OpFC,
  type OpFCName,
  type OpName,
  Section,
  type ValType,
  ValTypeCode,
} from "./opcodes.ts";
import { OpFD, type OpFDName } from "./simd-opcodes.ts";

export type { ValType } from "./opcodes.ts";

/** UTF-8 bytes of names and metadata; one shared instance (creating one costs ~1 µs). */
const utf8Encoder = new TextEncoder();

// Writers take their buffers from a shared arena. A typed array with its own ArrayBuffer
// (above 64 bytes) costs ~0.35 µs plus external-memory bookkeeping that brings GCs forward,
// and a compilation needs several: a view on the arena costs ~20 ns. Arena space is never
// reused; a spent arena is freed once no writer or finished payload refers to it. Only the
// final module bytes (`ModuleBuilder.encode`) get a buffer of their own.
const ARENA_BYTES = 64 << 10;
const ARENA_MAX_CHUNK = 8 << 10;
let arena = new ArrayBuffer(ARENA_BYTES);
let arenaUsed = 0;

/** `size` zeroed bytes; they may share their ArrayBuffer with other writers' bytes. */
function chunk(size: number): Uint8Array {
  if (size > ARENA_MAX_CHUNK) return new Uint8Array(size);
  if (arenaUsed + size > ARENA_BYTES) {
    arena = new ArrayBuffer(ARENA_BYTES);
    arenaUsed = 0;
  }
  const bytes = new Uint8Array(arena, arenaUsed, size);
  arenaUsed += (size + 7) & ~7;
  return bytes;
}

// Float immediates are copied from these (wasm is little-endian; so is every V8 target).
const floatScratch = new Float64Array(1);
const float32Scratch = new Float32Array(floatScratch.buffer, 0, 1);
const floatBytes = new Uint8Array(floatScratch.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A growable byte buffer with LEB128 writers. */
export class ByteWriter {
  /** The buffer; bytes past `length` are unused. It may share its ArrayBuffer. */
  bytes: Uint8Array;
  length = 0;

  /** `capacity`: the expected size, to avoid regrowing a buffer whose size is known. */
  constructor(capacity = 256) {
    this.bytes = chunk(capacity);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = Math.max(this.bytes.length * 2, 64);
    while (size < this.length + n) size *= 2;
    const next = chunk(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(b: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = b;
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** Unsigned LEB128 of a 32-bit value. */
  u32(v: number): void {
    if (this.length + 5 > this.bytes.length) this.reserve(5);
    const bytes = this.bytes;
    let at = this.length;
    v >>>= 0;
    while (v >= 0x80) {
      bytes[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    bytes[at++] = v;
    this.length = at;
  }

  /** Signed LEB128 of a 32-bit value. */
  s32(v: number): void {
    if (this.length + 5 > this.bytes.length) this.reserve(5);
    const bytes = this.bytes;
    let at = this.length;
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        bytes[at++] = b;
        break;
      }
      bytes[at++] = b | 0x80;
    }
    this.length = at;
  }

  /** Signed LEB128 of a 64-bit value. */
  s64(v: bigint): void {
    v = BigInt.asIntN(64, v);
    if (v >= -0x80000000n && v <= 0x7fffffffn) {
      // Same bytes as the 32-bit encoding, without BigInt arithmetic per byte.
      this.s32(Number(v));
      return;
    }
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }

  f32(v: number): void {
    this.reserve(4);
    if (!littleEndian) {
      new DataView(this.bytes.buffer, this.bytes.byteOffset).setFloat32(this.length, v, true);
    } else {
      float32Scratch[0] = v;
      for (let i = 0; i < 4; i++) this.bytes[this.length + i] = floatBytes[i];
    }
    this.length += 4;
  }

  f64(v: number): void {
    this.reserve(8);
    if (!littleEndian) {
      new DataView(this.bytes.buffer, this.bytes.byteOffset).setFloat64(this.length, v, true);
    } else {
      floatScratch[0] = v;
      for (let i = 0; i < 8; i++) this.bytes[this.length + i] = floatBytes[i];
    }
    this.length += 8;
  }

  /** A length-prefixed UTF-8 string. */
  name(s: string): void {
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      const utf8 = utf8Encoder.encode(s);
      this.u32(utf8.length);
      this.raw(utf8);
      return;
    }
    this.u32(n);
    this.reserve(n);
    const bytes = this.bytes;
    const at = this.length;
    for (let i = 0; i < n; i++) bytes[at + i] = s.charCodeAt(i);
    this.length = at + n;
  }

  /** A length-prefixed nested payload. */
  sized(body: ByteWriter): void {
    this.u32(body.length);
    this.raw(body.finish());
  }

  /**
   * Prefixes the bytes written since `start` with their length: lets a writer emit a
   * length-prefixed payload in place instead of in a nested writer.
   */
  sizeFrom(start: number): void {
    this.insertU32(start, this.length - start);
  }

  /** Inserts the unsigned LEB128 of `v` at `at`, shifting the bytes after it. */
  insertU32(at: number, v: number): void {
    v >>>= 0;
    const k = lebSize(v);
    this.reserve(k);
    const bytes = this.bytes;
    bytes.copyWithin(at + k, at, this.length);
    for (let i = 0; i < k - 1; i++) {
      bytes[at + i] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    bytes[at + k - 1] = v;
    this.length += k;
  }

  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/**
 * UTF-8 bytes of `s`, for a payload handed to the builder: they may share their ArrayBuffer.
 * (`encodeInto` is a fast call; `encode` allocates a buffer of its own.)
 */
export function utf8Bytes(s: string): Uint8Array {
  const n = s.length;
  if (n * 3 > ARENA_MAX_CHUNK) return utf8Encoder.encode(s);
  const out = chunk(n * 3);
  return out.subarray(0, utf8Encoder.encodeInto(s, out).written);
}

export interface FuncType {
  params: readonly ValType[];
  results: readonly ValType[];
}

export function funcTypeKey(t: FuncType): string {
  return `${t.params.join(",")}->${t.results.join(",")}`;
}

/** Block type: empty, one result value, or a function type index (multi-value). */
export type BlockType = ValType | "void" | { typeIndex: number };

// Opcodes by name: callers pass many different names, which makes `Op[name]` a megamorphic
// property lookup (~20 ns); a Map lookup costs half that.
const opcode = new Map<string, number>(Object.entries(Op));

/** Writes one function body's instructions. Methods mirror the instruction names. */
export class CodeWriter extends ByteWriter {
  op(name: OpName): this {
    this.byte(opcode.get(name)!);
    return this;
  }

  opFC(name: OpFCName): this {
    this.byte(0xfc);
    this.u32(OpFC[name]);
    return this;
  }

  private blockType(t: BlockType): void {
    if (t === "void") this.byte(EMPTY_BLOCK);
    else if (typeof t === "string") this.byte(ValTypeCode[t]);
    else this.s32(t.typeIndex);
  }

  block(t: BlockType = "void"): this {
    this.byte(Op.block);
    this.blockType(t);
    return this;
  }

  loop(t: BlockType = "void"): this {
    this.byte(Op.loop);
    this.blockType(t);
    return this;
  }

  if(t: BlockType = "void"): this {
    this.byte(Op.if);
    this.blockType(t);
    return this;
  }

  else(): this {
    this.byte(Op.else);
    return this;
  }

  end(): this {
    this.byte(Op.end);
    return this;
  }

  try(t: BlockType = "void"): this {
    this.byte(Op.try);
    this.blockType(t);
    return this;
  }

  catch(tagIndex: number): this {
    this.byte(Op.catch);
    this.u32(tagIndex);
    return this;
  }

  throw(tagIndex: number): this {
    this.byte(Op.throw);
    this.u32(tagIndex);
    return this;
  }

  /** Rethrows the exception caught by the `catch` `depth` labels out. */
  rethrow(depth: number): this {
    this.byte(Op.rethrow);
    this.u32(depth);
    return this;
  }

  br(depth: number): this {
    this.byte(Op.br);
    this.u32(depth);
    return this;
  }

  brIf(depth: number): this {
    this.byte(Op.br_if);
    this.u32(depth);
    return this;
  }

  brTable(depths: readonly number[], defaultDepth: number): this {
    this.byte(Op.br_table);
    this.u32(depths.length);
    for (const d of depths) this.u32(d);
    this.u32(defaultDepth);
    return this;
  }

  call(funcIndex: number): this {
    this.byte(Op.call);
    this.u32(funcIndex);
    return this;
  }

  callIndirect(typeIndex: number, tableIndex = 0): this {
    this.byte(Op.call_indirect);
    this.u32(typeIndex);
    this.u32(tableIndex);
    return this;
  }

  localGet(i: number): this {
    this.byte(Op.local_get);
    this.u32(i);
    return this;
  }

  localSet(i: number): this {
    this.byte(Op.local_set);
    this.u32(i);
    return this;
  }

  localTee(i: number): this {
    this.byte(Op.local_tee);
    this.u32(i);
    return this;
  }

  globalGet(i: number): this {
    this.byte(Op.global_get);
    this.u32(i);
    return this;
  }

  globalSet(i: number): this {
    this.byte(Op.global_set);
    this.u32(i);
    return this;
  }

  i32Const(v: number): this {
    this.byte(Op.i32_const);
    this.s32(v);
    return this;
  }

  i64Const(v: bigint): this {
    this.byte(Op.i64_const);
    this.s64(v);
    return this;
  }

  f32Const(v: number): this {
    this.byte(Op.f32_const);
    this.f32(v);
    return this;
  }

  f64Const(v: number): this {
    this.byte(Op.f64_const);
    this.f64(v);
    return this;
  }

  /** A load or store with its memarg; `align` is the log2 of the alignment hint. */
  mem(name: OpName, align: number, offset = 0): this {
    this.byte(opcode.get(name)!);
    this.u32(align);
    this.u32(offset);
    return this;
  }

  /** A SIMD (0xfd-prefixed) instruction without immediates. */
  opFD(name: OpFDName): this {
    const code = OpFD[name];
    if (code === undefined) throw new Error(`unknown SIMD instruction ${name}`);
    this.byte(0xfd);
    this.u32(code);
    return this;
  }

  /** A SIMD load or store with its memarg (`align` is log2), and a lane for load/store_lane. */
  memFD(name: OpFDName, align: number, offset = 0, lane?: number): this {
    this.opFD(name);
    this.u32(align);
    this.u32(offset);
    if (lane !== undefined) this.byte(lane);
    return this;
  }

  /** extract_lane / replace_lane with its lane index. */
  laneFD(name: OpFDName, lane: number): this {
    this.opFD(name);
    this.byte(lane);
    return this;
  }

  /** v128.const (16 little-endian bytes) or i8x16.shuffle (16 lane indices). */
  bytesFD(name: "v128_const" | "i8x16_shuffle", bytes: ArrayLike<number>): this {
    if (bytes.length !== 16) throw new Error(`${name} takes 16 bytes`);
    this.opFD(name);
    for (let i = 0; i < 16; i++) this.byte(bytes[i]! & 0xff);
    return this;
  }

  memoryCopy(): this {
    this.opFC("memory_copy");
    this.byte(0);
    this.byte(0);
    return this;
  }

  memoryFill(): this {
    this.opFC("memory_fill");
    this.byte(0);
    return this;
  }

  memorySize(): this {
    this.byte(Op.memory_size);
    this.byte(0);
    return this;
  }

  memoryGrow(): this {
    this.byte(Op.memory_grow);
    this.byte(0);
    return this;
  }
}

/** A constant expression (for global initializers and segment offsets). */
export type ConstExpr = { i32: number } | { global: number };

export interface Limits {
  min: number;
  max?: number;
  /** A shared memory (threads proposal); the decoder reports it, the encoder never emits it. */
  shared?: boolean;
}

type Import =
  | { module: string; name: string; kind: "func"; type: number }
  | { module: string; name: string; kind: "table"; limits: Limits }
  | { module: string; name: string; kind: "memory"; limits: Limits }
  | { module: string; name: string; kind: "global"; type: ValType; mutable: boolean }
  | { module: string; name: string; kind: "tag"; type: number };

interface DefinedFunction {
  type: number;
  locals: ValType[];
  body: Uint8Array | null;
}

/**
 * Builds a module. Imports must all be declared before the first function, global or table of
 * the module itself is declared, because they come first in each index space.
 */
export class ModuleBuilder {
  private types: FuncType[] = [];
  private typeIndex = new Map<string, number>();
  private imports: Import[] = [];
  private importedFuncs = 0;
  private importedGlobals = 0;
  private importedTables = 0;
  private importedTags = 0;
  private funcs: DefinedFunction[] = [];
  private tables: Limits[] = [];
  private memories: Limits[] = [];
  private globals: { type: ValType; mutable: boolean; init: ConstExpr }[] = [];
  private exports: { name: string; kind: number; index: number }[] = [];
  private start: number | undefined;
  private elements: { offset: ConstExpr; funcs: number[] }[] = [];
  private datas: { offset: ConstExpr; bytes: Uint8Array }[] = [];
  private customs: { name: string; bytes: Uint8Array }[] = [];

  type(t: FuncType): number {
    const key = funcTypeKey(t);
    let i = this.typeIndex.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push({ params: [...t.params], results: [...t.results] });
      this.typeIndex.set(key, i);
    }
    return i;
  }

  private checkImportOrder(what: string): void {
    if (this.funcs.length || this.globals.length || this.tables.length || this.memories.length) {
      throw new Error(`wasm encoder: ${what} imported after module definitions`);
    }
  }

  importFunction(module: string, name: string, t: FuncType): number {
    this.checkImportOrder("function");
    this.imports.push({ module, name, kind: "func", type: this.type(t) });
    return this.importedFuncs++;
  }

  importGlobal(module: string, name: string, type: ValType, mutable: boolean): number {
    this.checkImportOrder("global");
    this.imports.push({ module, name, kind: "global", type, mutable });
    return this.importedGlobals++;
  }

  importTable(module: string, name: string, limits: Limits): number {
    this.checkImportOrder("table");
    this.imports.push({ module, name, kind: "table", limits });
    return this.importedTables++;
  }

  /** An exception tag whose payload is `t.params` (`t.results` must be empty). */
  importTag(module: string, name: string, t: FuncType): number {
    this.checkImportOrder("tag");
    this.imports.push({ module, name, kind: "tag", type: this.type(t) });
    return this.importedTags++;
  }

  importMemory(module: string, name: string, limits: Limits): void {
    this.checkImportOrder("memory");
    this.imports.push({ module, name, kind: "memory", limits });
  }

  /** Reserves a function index; its body is given later by `defineFunction`. */
  declareFunction(t: FuncType): number {
    this.funcs.push({ type: this.type(t), locals: [], body: null });
    return this.importedFuncs + this.funcs.length - 1;
  }

  defineFunction(index: number, locals: readonly ValType[], body: CodeWriter | Uint8Array): void {
    const f = this.funcs[index - this.importedFuncs];
    if (!f) throw new Error(`wasm encoder: no declared function ${index}`);
    f.locals = [...locals];
    if (body instanceof CodeWriter) {
      f.body = chunk(body.length);
      f.body.set(body.finish());
    } else {
      f.body = body;
    }
  }

  addFunction(t: FuncType, locals: readonly ValType[], body: CodeWriter | Uint8Array): number {
    const index = this.declareFunction(t);
    this.defineFunction(index, locals, body);
    return index;
  }

  addTable(limits: Limits): number {
    this.tables.push(limits);
    return this.importedTables + this.tables.length - 1;
  }

  addMemory(limits: Limits): void {
    this.memories.push(limits);
  }

  addGlobal(type: ValType, mutable: boolean, init: ConstExpr): number {
    this.globals.push({ type, mutable, init });
    return this.importedGlobals + this.globals.length - 1;
  }

  exportFunction(name: string, index: number): void {
    this.exports.push({ name, kind: 0, index });
  }

  exportTable(name: string, index: number): void {
    this.exports.push({ name, kind: 1, index });
  }

  exportMemory(name: string, index = 0): void {
    this.exports.push({ name, kind: 2, index });
  }

  exportGlobal(name: string, index: number): void {
    this.exports.push({ name, kind: 3, index });
  }

  setStart(funcIndex: number): void {
    this.start = funcIndex;
  }

  /** An active element segment for table 0. */
  addElements(offset: ConstExpr, funcs: readonly number[]): void {
    this.elements.push({ offset, funcs: [...funcs] });
  }

  /** An active data segment for memory 0. */
  addData(offset: ConstExpr, bytes: Uint8Array): void {
    this.datas.push({ offset, bytes });
  }

  addCustomSection(name: string, bytes: Uint8Array): void {
    this.customs.push({ name, bytes });
  }

  get functionCount(): number {
    return this.importedFuncs + this.funcs.length;
  }

  encode(): Uint8Array<ArrayBuffer> {
    // One buffer for the whole module, sized up front: each section is written in place and
    // its length prefixed afterwards (sizeFrom), so no nested writers or copies per section.
    let estimate = 256 + 64 * this.imports.length + 32 * this.exports.length;
    for (const f of this.funcs) estimate += (f.body?.length ?? 0) + 8 + 2 * f.locals.length;
    for (const d of this.datas) estimate += d.bytes.length + 16;
    for (const c of this.customs) estimate += c.bytes.length + c.name.length + 8;
    const w = new ByteWriter(estimate);
    w.raw(WASM_HEADER);
    let start = 0;
    const begin = (id: number, count: number): boolean => {
      if (count === 0) return false;
      w.byte(id);
      start = w.length;
      w.u32(count);
      return true;
    };
    const end = () => w.sizeFrom(start);

    if (begin(Section.type, this.types.length)) {
      for (const t of this.types) {
        w.byte(0x60);
        w.u32(t.params.length);
        for (const p of t.params) w.byte(ValTypeCode[p]);
        w.u32(t.results.length);
        for (const r of t.results) w.byte(ValTypeCode[r]);
      }
      end();
    }
    if (begin(Section.import, this.imports.length)) {
      for (const imp of this.imports) {
        w.name(imp.module);
        w.name(imp.name);
        switch (imp.kind) {
          case "func":
            w.byte(0);
            w.u32(imp.type);
            break;
          case "table":
            w.byte(1);
            w.byte(FUNCREF);
            writeLimits(w, imp.limits);
            break;
          case "memory":
            w.byte(2);
            writeLimits(w, imp.limits);
            break;
          case "global":
            w.byte(3);
            w.byte(ValTypeCode[imp.type]);
            w.byte(imp.mutable ? 1 : 0);
            break;
          case "tag":
            w.byte(4);
            w.byte(0); // attribute: exception
            w.u32(imp.type);
            break;
        }
      }
      end();
    }
    if (begin(Section.function, this.funcs.length)) {
      for (const f of this.funcs) w.u32(f.type);
      end();
    }
    if (begin(Section.table, this.tables.length)) {
      for (const t of this.tables) {
        w.byte(FUNCREF);
        writeLimits(w, t);
      }
      end();
    }
    if (begin(Section.memory, this.memories.length)) {
      for (const m of this.memories) writeLimits(w, m);
      end();
    }
    if (begin(Section.global, this.globals.length)) {
      for (const g of this.globals) {
        w.byte(ValTypeCode[g.type]);
        w.byte(g.mutable ? 1 : 0);
        writeConstExpr(w, g.init, g.type);
      }
      end();
    }
    if (begin(Section.export, this.exports.length)) {
      for (const e of this.exports) {
        w.name(e.name);
        w.byte(e.kind);
        w.u32(e.index);
      }
      end();
    }
    if (this.start !== undefined) {
      w.byte(Section.start);
      start = w.length;
      w.u32(this.start);
      end();
    }
    if (begin(Section.element, this.elements.length)) {
      for (const e of this.elements) {
        w.u32(0); // active, table 0, funcref indices
        writeConstExpr(w, e.offset, "i32");
        w.u32(e.funcs.length);
        for (const f of e.funcs) w.u32(f);
      }
      end();
    }
    if (this.datas.length > 0) {
      // Declared so validators accept memory.copy/fill alongside data segments.
      w.byte(Section.dataCount);
      start = w.length;
      w.u32(this.datas.length);
      end();
    }
    if (begin(Section.code, this.funcs.length)) {
      const sectionStart = start;
      for (const f of this.funcs) {
        const body = f.body;
        if (!body) throw new Error("wasm encoder: function declared but never defined");
        const bodyStart = w.length;
        // Run-length encode the local declarations: count the groups, then write them.
        const locals = f.locals;
        let groups = 0;
        for (let i = 0; i < locals.length; i++)
          if (i === 0 || locals[i] !== locals[i - 1]) groups++;
        w.u32(groups);
        for (let i = 0; i < locals.length; ) {
          let j = i + 1;
          while (j < locals.length && locals[j] === locals[i]) j++;
          w.u32(j - i);
          w.byte(ValTypeCode[locals[i]]);
          i = j;
        }
        // Prefix the (short) locals part with the body's size, then append the code.
        w.insertU32(bodyStart, w.length - bodyStart + body.length + 1);
        w.raw(body);
        w.byte(Op.end);
      }
      start = sectionStart;
      end();
    }
    if (begin(Section.data, this.datas.length)) {
      for (const d of this.datas) {
        w.u32(0); // active, memory 0
        writeConstExpr(w, d.offset, "i32");
        w.u32(d.bytes.length);
        w.raw(d.bytes);
      }
      end();
    }
    for (const c of this.customs) {
      w.byte(Section.custom);
      start = w.length;
      w.name(c.name);
      w.raw(c.bytes);
      end();
    }
    // The caller keeps the module: bytes of its own, not a view on the arena.
    return w.finish().slice() as Uint8Array<ArrayBuffer>;
  }
}

const WASM_HEADER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** Bytes in the unsigned LEB128 of `v` (a uint32). */
function lebSize(v: number): number {
  let k = 1;
  for (v >>>= 7; v !== 0; v >>>= 7) k++;
  return k;
}

function writeLimits(w: ByteWriter, l: Limits): void {
  if (l.max === undefined) {
    w.byte(0);
    w.u32(l.min);
  } else {
    w.byte(1);
    w.u32(l.min);
    w.u32(l.max);
  }
}

function writeConstExpr(w: ByteWriter, e: ConstExpr, type: ValType): void {
  if ("global" in e) {
    w.byte(Op.global_get);
    w.u32(e.global);
  } else if (type === "i64") {
    w.byte(Op.i64_const);
    w.s64(BigInt(e.i32));
  } else if (type === "f32") {
    w.byte(Op.f32_const);
    w.f32(e.i32);
  } else if (type === "f64") {
    w.byte(Op.f64_const);
    w.f64(e.i32);
  } else {
    w.byte(Op.i32_const);
    w.s32(e.i32);
  }
  w.byte(Op.end);
}
