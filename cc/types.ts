// C types for KP-C on wasm32 (ILP32: int, long and pointers are 32-bit; long long is 64-bit;
// char is signed). Layout rules match `gcc -m32 -malign-double` so struct layouts agree with
// the differential oracle.

import type { ValType } from "../wasm/index.ts";

export type IntName = "_Bool" | "char" | "short" | "int" | "long" | "long long";

export type Type =
  | VoidType
  | IntType
  | FloatType
  | PointerType
  | ArrayType
  | FunctionType
  | RecordType
  | EnumType
  | VectorType;

export interface VoidType {
  kind: "void";
}

/** Integer types including _Bool and char. `size` in bytes. */
export interface IntType {
  kind: "int";
  name: IntName;
  size: 1 | 2 | 4 | 8;
  signed: boolean;
  /** Precision below `size * 8`: gcc's N-bit type of an N-bit bit-field whose width no standard
   * type has (`int : 3`, `long long : 40`). Its values are held sign- or zero-extended from bit
   * N; below 32 bits it promotes to int, above its arithmetic wraps at N bits. */
  bits?: number;
}

export interface FloatType {
  kind: "float";
  /** 4 = float, 8 = double (long double aliases double). */
  size: 4 | 8;
}

export interface PointerType {
  kind: "pointer";
  to: Type;
}

export interface ArrayType {
  kind: "array";
  of: Type;
  /** undefined for an incomplete array (`int a[]`) before its initializer completes it. */
  length: number | undefined;
}

export interface Param {
  name: string | undefined;
  type: Type;
}

export interface FunctionType {
  kind: "function";
  ret: Type;
  params: Param[];
  variadic: boolean;
}

export interface Member {
  name: string | undefined; // undefined for anonymous struct/union members
  /** For a bit-field, the type its value has in expressions (see bitFieldValueType). */
  type: Type;
  /** Byte offset; for a bit-field, of the byte holding its lowest bit. */
  offset: number;
  bits?: BitField;
}

/**
 * Where a bit-field's bits are: `width` bits from bit `shift` (0-7, little-endian) of the byte
 * at the member's offset. `start` is that byte's offset within the record declaring the field
 * and `recordSize` that record's size: accesses stay inside [offset - start, + recordSize).
 */
export interface BitField {
  shift: number;
  width: number;
  signed: boolean;
  start: number;
  recordSize: number;
  /** The declared type (`unsigned char`, `enum E`, `_Bool`, ...), for messages. */
  declared: Type;
}

/** struct or union. Shared by reference, so a forward-declared tag completes in place. */
export interface RecordType {
  kind: "struct" | "union";
  tag: string | undefined;
  members: Member[];
  size: number;
  align: number;
  complete: boolean;
}

/** Enumerations behave as `int` (signed, 4 bytes). */
export interface EnumType {
  kind: "enum";
  tag: string | undefined;
  /** No enumerator is negative: gcc's underlying type is then `unsigned int`, which shows only
   * in a bit-field of the enum type (zero-extended); elsewhere KP-C treats enums as `int`. */
  unsigned?: boolean;
}

/** A 128-bit SIMD vector (`v128_t` of <wasm_simd128.h>), held in wasm v128 locals. It has no
 * C operators: only the wasm_* intrinsics, assignment, and passing by value. */
export interface VectorType {
  kind: "vector";
}

export const v128Type: VectorType = { kind: "vector" };
export const voidType: VoidType = { kind: "void" };
export const boolType: IntType = { kind: "int", name: "_Bool", size: 1, signed: false };
export const charType: IntType = { kind: "int", name: "char", size: 1, signed: true };
/** `signed char`: char's twin, told apart only where C distinguishes the two types. */
export const scharType: IntType = { kind: "int", name: "char", size: 1, signed: true };
export const ucharType: IntType = { kind: "int", name: "char", size: 1, signed: false };
export const shortType: IntType = { kind: "int", name: "short", size: 2, signed: true };
export const ushortType: IntType = { kind: "int", name: "short", size: 2, signed: false };
export const intType: IntType = { kind: "int", name: "int", size: 4, signed: true };
export const uintType: IntType = { kind: "int", name: "int", size: 4, signed: false };
export const longType: IntType = { kind: "int", name: "long", size: 4, signed: true };
export const ulongType: IntType = { kind: "int", name: "long", size: 4, signed: false };
export const llongType: IntType = { kind: "int", name: "long long", size: 8, signed: true };
export const ullongType: IntType = { kind: "int", name: "long long", size: 8, signed: false };
export const floatType: FloatType = { kind: "float", size: 4 };
export const doubleType: FloatType = { kind: "float", size: 8 };
/** size_t on wasm32. */
export const sizeType = ulongType;

const bitIntTypes = new Map<number, IntType>();

/** gcc's N-bit integer type of an N-bit bit-field (one object per N and signedness), as large
 * as the smallest standard type holding it (gcc's mode: `sizeof (s.f3 = 0)` is 1). */
export function bitIntType(width: number, signed: boolean): IntType {
  const key = signed ? -width : width;
  let t = bitIntTypes.get(key);
  if (!t) {
    const size = width <= 8 ? 1 : width <= 16 ? 2 : width <= 32 ? 4 : 8;
    const name = ({ 1: "char", 2: "short", 4: "int", 8: "long long" } as const)[size];
    t = { kind: "int", name, size, signed, bits: width };
    bitIntTypes.set(key, t);
  }
  return t;
}

/** The number of value bits of an integer type (pointers and enums: 32). */
export function precisionOf(t: Type): number {
  if (t.kind === "int") return t.name === "_Bool" ? 1 : (t.bits ?? t.size * 8);
  return 32;
}

export function pointerTo(t: Type): PointerType {
  return { kind: "pointer", to: t };
}

export function arrayOf(t: Type, length: number | undefined): ArrayType {
  return { kind: "array", of: t, length };
}

export const isInteger = (t: Type): t is IntType | EnumType =>
  t.kind === "int" || t.kind === "enum";
export const isFloat = (t: Type): t is FloatType => t.kind === "float";
export const isArithmetic = (t: Type): boolean => isInteger(t) || isFloat(t);
export const isPointer = (t: Type): t is PointerType => t.kind === "pointer";
export const isScalar = (t: Type): boolean => isArithmetic(t) || isPointer(t);
export const isRecord = (t: Type): t is RecordType => t.kind === "struct" || t.kind === "union";
export const isVoid = (t: Type): t is VoidType => t.kind === "void";

/** Integer view of an integer or enum type. */
export function asInt(t: IntType | EnumType): IntType {
  return t.kind === "enum" ? intType : t;
}

export function isSigned(t: Type): boolean {
  if (t.kind === "enum") return true;
  if (t.kind === "int") return t.signed;
  return t.kind === "float";
}

export function sizeOf(t: Type): number {
  switch (t.kind) {
    case "void":
      return 1; // GNU C: sizeof(void) == 1, used for void* arithmetic
    case "int":
    case "float":
      return t.size;
    case "enum":
    case "pointer":
      return 4;
    case "function":
      return 1;
    case "array":
      return (t.length ?? 0) * sizeOf(t.of);
    case "struct":
    case "union":
      return t.size;
    case "vector":
      return 16;
  }
}

export function alignOf(t: Type): number {
  switch (t.kind) {
    case "array":
      return alignOf(t.of);
    case "struct":
    case "union":
      return t.align;
    case "void":
    case "function":
      return 1;
    default:
      return sizeOf(t);
  }
}

export function alignTo(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

/** A member as declared, with its `packed`/`aligned` attributes and bit-field width. */
export interface MemberDecl {
  name: string | undefined;
  type: Type;
  packed?: boolean;
  aligned?: number;
  /** A bit-field's width (already checked against its type); 0 only unnamed. */
  width?: number;
}

/**
 * Lays out a struct or union's members in place (offsets, size, align) as gcc does for i386
 * (System V ABI, PCC_BITFIELD_TYPE_MATTERS): a bit-field goes at the next free bit unless it
 * would then span more storage units of its type's alignment than the type has (it moves to
 * the next unit); packed fields skip that rule. A named bit-field aligns the record like its
 * type, an unnamed one does not; a zero-width one moves to its type's next unit, even when
 * packed. A packed record's members are byte-aligned unless `aligned` says otherwise.
 */
export function layoutRecord(
  r: RecordType,
  members: MemberDecl[],
  attrs: { packed?: boolean; aligned?: number } = {},
): void {
  let bit = 0; // struct: the next free bit
  let sizeBits = 0;
  let align = attrs.aligned ?? 1;
  const bitFields: BitField[] = [];
  r.members = [];
  for (const m of members) {
    const packed = attrs.packed || m.packed;
    if (m.width !== undefined) {
      const t = m.type;
      const unitBits = alignOf(t) * 8;
      if (m.width === 0) {
        if (r.kind === "struct") bit = alignTo(bit, unitBits);
        continue;
      }
      if (m.aligned) {
        if (r.kind === "struct") bit = alignTo(bit, m.aligned * 8);
        align = Math.max(align, m.aligned);
      }
      if (r.kind === "struct" && !packed) {
        const units = Math.ceil(((bit % unitBits) + m.width) / unitBits);
        if (units > (sizeOf(t) * 8) / unitBits) bit = alignTo(bit, unitBits);
      }
      if (m.name !== undefined) align = Math.max(align, packed ? 1 : alignOf(t));
      const pos = r.kind === "struct" ? bit : 0;
      if (r.kind === "struct") bit += m.width;
      sizeBits = Math.max(sizeBits, pos + m.width);
      if (m.name === undefined) continue; // padding: no member to name or initialize
      const bits: BitField = {
        shift: pos % 8,
        width: m.width,
        signed: bitFieldSigned(t),
        start: Math.floor(pos / 8),
        recordSize: 0,
        declared: t,
      };
      bitFields.push(bits);
      r.members.push({
        name: m.name,
        type: bitFieldValueType(t, m.width),
        offset: bits.start,
        bits,
      });
      continue;
    }
    let a = packed ? 1 : alignOf(m.type);
    if (m.aligned) a = Math.max(a, m.aligned);
    align = Math.max(align, a);
    if (r.kind === "struct") {
      const offset = alignTo(Math.ceil(bit / 8), a);
      r.members.push({ name: m.name, type: m.type, offset });
      bit = (offset + sizeOf(m.type)) * 8;
      sizeBits = bit;
    } else {
      r.members.push({ name: m.name, type: m.type, offset: 0 });
      sizeBits = Math.max(sizeBits, sizeOf(m.type) * 8);
    }
  }
  r.size = alignTo(Math.ceil(Math.max(sizeBits, bit) / 8), align);
  r.align = align;
  r.complete = true;
  for (const b of bitFields) b.recordSize = r.size;
}

/** Plain `int`, `char`, ... bit-fields are signed (as gcc); an enum's is unless all its
 * enumerators are non-negative. */
function bitFieldSigned(t: Type): boolean {
  if (t.kind === "enum") return !t.unsigned;
  return t.kind === "int" && t.signed;
}

/**
 * A bit-field's type, as gcc's (c_build_bitfield_integer_type): the declared type at its full
 * width; else the standard type of that width and signedness (`int f : 8` is `signed char`,
 * `long long f : 32` is `int`); else an N-bit integer type. Below 32 bits integer promotion
 * makes it `int` (so `unsigned x : 3` promotes to int); `_Generic`, `sizeof (s.f = 0)` and
 * `typeof` see the type itself. Wider N-bit types are kept by the usual arithmetic conversions
 * (gcc's "long long:40": `s.f + 1` wraps at 40 bits). An enum's 32-bit field has the integer
 * type of its signedness (KP-C's enums are otherwise `int`).
 */
function bitFieldValueType(t: Type, width: number): Type {
  if (t.kind === "int" && t.name === "_Bool") return t;
  const signed = bitFieldSigned(t);
  if (t.kind === "int" && width === t.size * 8) return t;
  if (width === 8) return signed ? scharType : ucharType;
  if (width === 16) return signed ? shortType : ushortType;
  if (width === 32) return signed ? intType : uintType;
  return bitIntType(width, signed);
}

/** The largest width a bit-field of type `t` may have, or undefined if `t` cannot have one. */
export function bitFieldMaxWidth(t: Type): number | undefined {
  if (t.kind === "enum") return 32;
  if (t.kind !== "int") return undefined;
  return t.name === "_Bool" ? 1 : t.size * 8;
}

/** Finds a member by name, looking through anonymous struct/union members. */
export function findMember(r: RecordType, name: string): Member | undefined {
  for (const m of r.members) {
    if (m.name === name) return m;
    if (m.name === undefined && isRecord(m.type)) {
      const inner = findMember(m.type, name);
      if (inner) return { ...inner, name, offset: m.offset + inner.offset };
    }
  }
  return undefined;
}

/** The wasm value type that holds a scalar of this C type. Aggregates are passed by address. */
export function valType(t: Type): ValType {
  switch (t.kind) {
    case "int":
      return t.size === 8 ? "i64" : "i32";
    case "float":
      return t.size === 8 ? "f64" : "f32";
    case "vector":
      return "v128";
    default:
      return "i32";
  }
}

/** Integer promotion (C99 6.3.1.1). */
export function promote(t: Type): Type {
  if (t.kind === "enum") return intType;
  if (t.kind === "int" && (t.size < 4 || (t.bits ?? 32) < 32)) return intType;
  return t;
}

/** Usual arithmetic conversions (C99 6.3.1.8) for two arithmetic operand types. */
export function commonType(a: Type, b: Type): Type {
  if (a.kind === "float" || b.kind === "float") {
    const sa = a.kind === "float" ? a.size : 0;
    const sb = b.kind === "float" ? b.size : 0;
    return Math.max(sa, sb) === 8 ? doubleType : floatType;
  }
  const x = asInt(promote(a) as IntType | EnumType);
  const y = asInt(promote(b) as IntType | EnumType);
  // gcc ranks by precision, so `long long : 40` beats `unsigned int` and loses to `long long`.
  const px = precisionOf(x);
  const py = precisionOf(y);
  if (px !== py) return px > py ? x : y;
  // Same precision: unsigned wins; `long` and `int` are the same size, prefer the unsigned one.
  if (!x.signed) return x;
  if (!y.signed) return y;
  return x;
}

/** Compatible types, for redeclarations and link-time signatures (qualifiers are ignored). */
export function sameType(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind === "enum" && b.kind === "int") return b.size === 4 && b.signed && b.name === "int";
  if (b.kind === "enum" && a.kind === "int") return sameType(b, a);
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "void":
      return true;
    case "int": {
      const y = b as IntType;
      return a.size === y.size && a.signed === y.signed && a.name === y.name && a.bits === y.bits;
    }
    case "float":
      return a.size === (b as FloatType).size;
    case "pointer":
      return sameType(a.to, (b as PointerType).to);
    case "array": {
      const y = b as ArrayType;
      return (
        (a.length === undefined || y.length === undefined || a.length === y.length) &&
        sameType(a.of, y.of)
      );
    }
    case "function": {
      const y = b as FunctionType;
      return (
        sameType(a.ret, y.ret) &&
        a.variadic === y.variadic &&
        a.params.length === y.params.length &&
        a.params.every((p, i) => sameType(p.type, y.params[i]!.type))
      );
    }
    case "struct":
    case "union":
      return a === b || (a.tag !== undefined && a.tag === (b as RecordType).tag);
    case "enum":
    case "vector":
      return true;
  }
}

/**
 * Canonical C spelling of a type, as used in link-time signatures and messages:
 * `int`, `unsigned char *`, `struct point`, `int (*)(int, int)`, `double [4]`.
 */
export function typeToString(t: Type, inner = ""): string {
  const join = (base: string, decl: string) => (decl ? `${base} ${decl}` : base);
  switch (t.kind) {
    case "void":
      return join("void", inner);
    case "int": {
      if (t.name === "_Bool") return join("_Bool", inner);
      // An N-bit type is named as gcc does, after its size: `signed char:3`, `unsigned int:20`.
      const bits = t.bits ? `:${t.bits}` : "";
      if (t.name === "char") {
        const signed = bits ? "signed char" : "char";
        return join(`${t.signed ? signed : "unsigned char"}${bits}`, inner);
      }
      return join(`${t.signed ? t.name : `unsigned ${t.name}`}${bits}`, inner);
    }
    case "float":
      return join(t.size === 8 ? "double" : "float", inner);
    case "enum":
      return join(t.tag ? `enum ${t.tag}` : "enum", inner);
    case "vector":
      return join("v128_t", inner);
    case "struct":
    case "union":
      return join(t.tag ? `${t.kind} ${t.tag}` : `${t.kind} <anonymous>`, inner);
    case "pointer": {
      const needParens = t.to.kind === "array" || t.to.kind === "function";
      return typeToString(t.to, needParens ? `(*${inner})` : `*${inner}`);
    }
    case "array":
      return typeToString(t.of, `${inner}[${t.length ?? ""}]`);
    case "function": {
      const params = t.params.map((p) => typeToString(p.type));
      if (t.variadic) params.push("...");
      if (params.length === 0) params.push("void");
      return typeToString(t.ret, `${inner}(${params.join(", ")})`);
    }
  }
}

/** Canonical signature of a function type, e.g. `int (int, unsigned char *)`. */
export function signatureOf(t: FunctionType): string {
  return typeToString(t);
}
