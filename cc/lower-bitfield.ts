// Bit-field loads and stores. A load is one memory access plus shifts or a mask; a store a
// read-modify-write of the smallest wasm access (1, 2, 4 or 8 bytes, unaligned is fine) that
// holds the field and stays inside the record declaring it, so a field at a packed record's
// end never touches the bytes after it (that would be a false bounds fault, or a write to a
// neighbour). Only a field no such access can hold (in a packed record smaller than the
// access, or spanning 9 bytes) is split into several accesses.

import type { OpName, ValType } from "../wasm/index.ts";
import type { Expr } from "./ast.ts";
import type { ExprLowerer } from "./lower-expr.ts";
import type { BitField, Type } from "./types.ts";
import { isInteger, valType } from "./types.ts";

const isBoolType = (t: Type): boolean => t.kind === "int" && t.name === "_Bool";

/** One memory access of a field: `n` field bits from field bit `lo`, at bit `pos` of the
 * `size`-byte access at byte `at` (relative to the member's offset). */
interface Piece {
  at: number;
  size: 1 | 2 | 4 | 8;
  pos: number;
  lo: number;
  n: number;
}

const SIZES = [8, 4, 2, 1] as const;

/** The accesses that read or write `bits`. */
function piecesOf(bits: BitField): Piece[] {
  const { shift, width, start, recordSize } = bits;
  const bytes = Math.ceil((shift + width) / 8);
  const size = bytes <= 1 ? 1 : bytes <= 2 ? 2 : bytes <= 4 ? 4 : 8;
  if (bytes <= 8 && size <= recordSize) {
    const from = Math.min(start, recordSize - size);
    return [{ at: from - start, size, pos: (start - from) * 8 + shift, lo: 0, n: width }];
  }
  const pieces: Piece[] = [];
  for (let b = 0; b < bytes; ) {
    const s = SIZES.find((x) => x <= bytes - b)!;
    const lo = Math.max(0, b * 8 - shift);
    const hi = Math.min(width, (b + s) * 8 - shift);
    pieces.push({ at: b, size: s, pos: lo + shift - b * 8, lo, n: hi - lo });
    b += s;
  }
  return pieces;
}

const mask = (n: number): bigint => (1n << BigInt(n)) - 1n;

function constOf(lo: ExprLowerer, vt: ValType, v: bigint): void {
  if (vt === "i64") lo.w.i64Const(BigInt.asIntN(64, v));
  else lo.w.i32Const(Number(BigInt.asIntN(32, v)));
}

/** Zero-extending load of a piece, as i32 (size ≤ 4) or i64. */
function loadPiece(lo: ExprLowerer, size: number, vt: ValType, offset: number): void {
  const ops: Record<string, OpName> =
    vt === "i64"
      ? { 1: "i64_load8_u", 2: "i64_load16_u", 4: "i64_load32_u", 8: "i64_load" }
      : { 1: "i32_load8_u", 2: "i32_load16_u", 4: "i32_load" };
  lo.w.mem(ops[size]!, 0, offset);
}

function storePiece(lo: ExprLowerer, size: number, vt: ValType, offset: number): void {
  const ops: Record<string, OpName> =
    vt === "i64"
      ? { 1: "i64_store8", 2: "i64_store16", 4: "i64_store32", 8: "i64_store" }
      : { 1: "i32_store8", 2: "i32_store16", 4: "i32_store" };
  lo.w.mem(ops[size]!, 0, offset);
}

/** Converts the integer on the stack between i32 and i64 (zero-extending). */
function toVt(lo: ExprLowerer, from: ValType, to: ValType): void {
  if (from === to) return;
  lo.w.op(to === "i64" ? "i64_extend_i32_u" : "i32_wrap_i64");
}

/** Turns the low `n` bits of the value on the stack (of type vt) into the field's value. */
function extend(lo: ExprLowerer, vt: ValType, n: number, signed: boolean): void {
  const bits = vt === "i64" ? 64 : 32;
  if (n >= bits) return;
  const p = vt === "i64" ? "i64_" : "i32_";
  if (signed) {
    constOf(lo, vt, BigInt(bits - n));
    lo.w.op(`${p}shl` as OpName);
    constOf(lo, vt, BigInt(bits - n));
    lo.w.op(`${p}shr_s` as OpName);
  } else {
    constOf(lo, vt, mask(n));
    lo.w.op(`${p}and` as OpName);
  }
}

/** Pushes `base + off` split so that the memarg offset is not negative. */
function placeAt(lo: ExprLowerer, off: number): number {
  if (off >= 0) return off;
  lo.addOffset(off);
  return 0;
}

/** Loads the bit-field `e` (the base's address not yet pushed) as a value of e's type. */
export function loadBitField(lo: ExprLowerer, e: Expr & { k: "member" }): void {
  const bits = e.member.bits!;
  const rt = valType(e.type);
  const pieces = piecesOf(bits);
  const w = lo.w;
  if (pieces.length === 1) {
    const { at, size, pos, n } = pieces[0]!;
    const vt: ValType = size === 8 ? "i64" : "i32";
    const off = placeAt(lo, lo.address(e) + at);
    lo.markExpr(e);
    const wbits = vt === "i64" ? 64 : 32;
    const p = vt === "i64" ? "i64_" : "i32_";
    if (pos === 0 && n === size * 8 && size < 4) {
      // A whole byte or halfword: the load extends it.
      const op = `i32_load${size * 8}_${bits.signed ? "s" : "u"}` as OpName;
      w.mem(op, 0, off);
    } else if (bits.signed) {
      loadPiece(lo, size, vt, off);
      if (pos + n < wbits) {
        constOf(lo, vt, BigInt(wbits - pos - n));
        w.op(`${p}shl` as OpName);
      }
      if (n < wbits) {
        constOf(lo, vt, BigInt(wbits - n));
        w.op(`${p}shr_s` as OpName);
      }
    } else {
      loadPiece(lo, size, vt, off);
      if (pos > 0) {
        constOf(lo, vt, BigInt(pos));
        w.op(`${p}shr_u` as OpName);
      }
      // Bits above the field: none when it ends the (zero-extended) access.
      if (pos + n < size * 8) extend(lo, vt, n, false);
    }
    toVt(lo, vt, rt);
    return;
  }
  const base = lo.addressInLocal(e);
  lo.markExpr(e);
  w.i64Const(0n);
  for (const piece of pieces) {
    w.localGet(base.local);
    loadPiece(lo, piece.size, "i64", placeAt(lo, base.offset + piece.at));
    if (piece.pos > 0) w.i64Const(BigInt(piece.pos)).op("i64_shr_u");
    w.i64Const(mask(piece.n)).op("i64_and");
    if (piece.lo > 0) w.i64Const(BigInt(piece.lo)).op("i64_shl");
    w.op("i64_or");
  }
  if (base.temp) lo.frame.release("i32", base.local);
  extend(lo, "i64", bits.width, bits.signed);
  toVt(lo, "i64", rt);
}

/**
 * Stores `value` (of lv's type) into the bit-field `lv`; with `want`, pushes the value the field
 * then holds (the stored bits, extended as a load would). The value is computed before the old
 * bits are read, so a side effect of it on a neighbouring field is kept.
 */
export function storeBitField(
  lo: ExprLowerer,
  lv: Expr & { k: "member" },
  value: Expr,
  want: boolean,
  at: Expr,
): void {
  const bits = lv.member.bits!;
  const rt = valType(lv.type);
  const w = lo.w;
  // The store keeps only the field's bits, so a conversion to the field's type that leaves the
  // wasm type alone (an N-bit wrap, a narrowing) is redundant; _Bool's is not a truncation.
  const arg = value.k === "cast" && value.type === lv.type ? value.arg : undefined;
  if (arg && isInteger(arg.type) && valType(arg.type) === rt && !isBoolType(lv.type)) value = arg;
  lo.expr(value);
  const v = lo.frame.temp(rt);
  w.localSet(v);
  const base = lo.addressInLocal(lv);
  lo.markExpr(at);
  for (const piece of piecesOf(bits)) {
    const vt: ValType = piece.size === 8 || rt === "i64" ? "i64" : "i32";
    const off = placeAt(lo, base.offset + piece.at);
    const whole = piece.pos === 0 && piece.n === piece.size * 8;
    const p = vt === "i64" ? "i64_" : "i32_";
    w.localGet(base.local);
    if (!whole) {
      w.localGet(base.local);
      loadPiece(lo, piece.size, vt, off);
      constOf(lo, vt, ~(mask(piece.n) << BigInt(piece.pos)));
      w.op(`${p}and` as OpName);
    }
    w.localGet(v);
    toVt(lo, rt, vt);
    if (piece.lo > 0) {
      constOf(lo, vt, BigInt(piece.lo));
      w.op(`${p}shr_u` as OpName);
    }
    if (!whole) {
      if (piece.pos + piece.n < piece.size * 8) {
        constOf(lo, vt, mask(piece.n));
        w.op(`${p}and` as OpName);
      }
      if (piece.pos > 0) {
        constOf(lo, vt, BigInt(piece.pos));
        w.op(`${p}shl` as OpName);
      }
      w.op(`${p}or` as OpName);
    }
    storePiece(lo, piece.size, vt, off);
  }
  if (base.temp) lo.frame.release("i32", base.local);
  if (want) {
    w.localGet(v);
    extend(lo, rt, bits.width, bits.signed);
  }
  lo.frame.release(rt, v);
}
