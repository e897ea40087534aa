// Initializing an object in memory: listed items stored, everything else zeroed (in words
// where alignment allows), and long byte runs copied from static data.

import type { Expr, Initializer, Var } from "./ast.ts";
import type { Loc } from "./diagnostics.ts";
import { storeBitField } from "./lower-bitfield.ts";
import type { ExprLowerer } from "./lower-expr.ts";
import { keepsCheck } from "./lower-null.ts";
import { alignOf, isRecord, sizeOf, valType } from "./types.ts";

/** Stores zeros over [offset, offset + size) of the address in `base`. */
export function zeroBytes(
  lo: ExprLowerer,
  base: number,
  offset: number,
  size: number,
  align: number,
): void {
  const w = lo.w;
  if (size > 64) {
    w.localGet(base);
    lo.addOffset(offset);
    w.i32Const(0).i32Const(size).memoryFill();
    return;
  }
  let at = 0;
  const a = align >= 8 ? 3 : align >= 4 ? 2 : 0;
  for (; at + 8 <= size; at += 8)
    w.localGet(base)
      .i64Const(0n)
      .mem("i64_store", a, offset + at);
  for (; at + 4 <= size; at += 4) {
    w.localGet(base)
      .i32Const(0)
      .mem("i32_store", Math.min(a, 2), offset + at);
  }
  for (; at < size; at++)
    w.localGet(base)
      .i32Const(0)
      .mem("i32_store8", 0, offset + at);
}

/** Runs a block-scope initializer for `v` (a declaration or a compound literal). */
export function initialize(lo: ExprLowerer, v: Var, init: Initializer, loc: Loc): void {
  const st = lo.storageOf(v, loc);
  if (st.k === "local") {
    const item = init.items[0];
    const value = item && "expr" in item ? item.expr : undefined;
    const keep = value !== undefined && lo.mod.nullChecks && keepsCheck(lo, v, st.index, value);
    if (value) lo.expr(value);
    else lo.zero(valType(v.type));
    lo.setLocal(st.index);
    if (keep) lo.bodyWriter.markChecked(st.index);
    return;
  }
  if (st.k === "global") {
    lo.error(loc, "internal: block-scope initializer for static storage");
    return;
  }
  const base = st.k === "frame" ? lo.frame.fp : st.index;
  const baseOffset = st.k === "frame" ? st.offset : 0;
  const size = Math.max(init.size, sizeOf(v.type));
  const align = alignOf(v.type);
  if (!coversAll(init, size)) zeroBytes(lo, base, baseOffset, size, align);
  for (const item of init.items) {
    const at = baseOffset + item.offset;
    if ("bytes" in item) {
      storeBytes(lo, base, at, item.bytes);
      continue;
    }
    if (item.bits) {
      // After the zero fill and every byte run (packBitFields puts these last).
      const lv: Expr & { k: "member" } = {
        k: "member",
        base: { k: "var", v, type: v.type, loc },
        member: { name: undefined, type: item.type, offset: item.offset, bits: item.bits },
        type: item.type,
        loc,
      };
      storeBitField(lo, lv, item.expr, false, item.expr);
      continue;
    }
    if (isRecord(item.type)) {
      const src = lo.addressInLocal(item.expr);
      lo.copyBytes({ local: base, offset: at }, src, sizeOf(item.type), alignOf(item.type));
      if (src.temp) lo.frame.release("i32", src.local);
      continue;
    }
    lo.w.localGet(base);
    lo.storedValue(item.expr, item.type);
    lo.store(item.type, at);
  }
}

export function storeBytes(lo: ExprLowerer, base: number, at: number, bytes: Uint8Array): void {
  const w = lo.w;
  const blob = lo.mod.blobOffset(bytes);
  if (blob !== undefined) {
    w.localGet(base);
    lo.addOffset(at);
    lo.memoryBase();
    lo.addOffset(blob);
    w.i32Const(bytes.length).memoryCopy();
    return;
  }
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    const word = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    w.localGet(base)
      .i32Const(word)
      .mem("i32_store", 0, at + i);
  }
  for (; i < bytes.length; i++)
    w.localGet(base)
      .i32Const(bytes[i]!)
      .mem("i32_store8", 0, at + i);
}

/** Whether the initializer's items cover every byte (so no zero-fill is needed). */
function coversAll(init: Initializer, size: number): boolean {
  let end = 0;
  for (const item of init.items) {
    if (item.offset !== end || ("bits" in item && item.bits)) return false;
    end += "bytes" in item ? item.bytes.length : sizeOf(item.type);
  }
  return end >= size;
}
