// Arithmetic: unary and binary operators, comparisons, rotations recognised from shift pairs,
// `x++` as a value, and conversions between C scalar types (with narrowing to the type's width;
// an N-bit type of a wide `long long` bit-field wraps its arithmetic at N bits, as gcc does).

import type { OpName, ValType } from "../wasm/index.ts";
import type { Binary, Expr } from "./ast.ts";
import { divisionMagic } from "./lower-division.ts";
import type { ExprLowerer } from "./lower-expr.ts";
import { keepsCheck } from "./lower-null.ts";
import {
  COMPARISON_NAME,
  constInt,
  type IntInfo,
  intInfo,
  isBool,
  isCompareOp,
  sameValue,
} from "./lower-shapes.ts";
import { isFloat, isPointer, isSigned, precisionOf, type Type, valType } from "./types.ts";

const hasBits = (t: Type): boolean => t.kind === "int" && t.bits !== undefined;

export function unary(lo: ExprLowerer, op: "-" | "~" | "!", arg: Expr, type: Type): void {
  const w = lo.w;
  if (op === "!") {
    // condNot yields 0/1 except when it strips a double negation: normalize that case.
    if (arg.k === "unary" && arg.op === "!") {
      lo.cond(arg.arg);
      w.op("i32_eqz").op("i32_eqz");
    } else {
      lo.condNot(arg);
    }
    return;
  }
  const vt = valType(type);
  if (op === "-") {
    if (vt === "f32" || vt === "f64") {
      lo.expr(arg);
      w.op(vt === "f32" ? "f32_neg" : "f64_neg");
      return;
    }
    lo.zero(vt);
    lo.expr(arg);
    w.op(vt === "i64" ? "i64_sub" : "i32_sub");
    wrapBits(lo, type);
    return;
  }
  lo.expr(arg);
  if (vt === "i64") w.i64Const(-1n).op("i64_xor");
  else w.i32Const(-1).op("i32_xor");
  // The complement of a sign-extended value is one already.
  if (!isSigned(type)) wrapBits(lo, type);
}

/** Reduces the integer on the stack (of t's wasm type) to a value of `t` if it is an N-bit
 * type (sign-extending from bit N when signed, zero-extending otherwise); others need nothing. */
export function wrapBits(lo: ExprLowerer, t: Type): void {
  if (t.kind !== "int" || t.bits === undefined) return;
  const w = lo.w;
  if (t.size === 8) {
    const k = BigInt(64 - t.bits);
    if (t.signed) w.i64Const(k).op("i64_shl").i64Const(k).op("i64_shr_s");
    else w.i64Const((1n << BigInt(t.bits)) - 1n).op("i64_and");
  } else {
    const k = 32 - t.bits;
    if (t.signed) w.i32Const(k).op("i32_shl").i32Const(k).op("i32_shr_s");
    else w.i32Const((1 << t.bits) - 1).op("i32_and");
  }
}

export function compare(lo: ExprLowerer, op: string, l: Expr, r: Expr): void {
  const t = l.type;
  const vt = valType(t);
  const float = vt === "f32" || vt === "f64";
  if ((op === "==" || op === "!=") && !float && constInt(r) === 0n) {
    lo.expr(l);
    lo.w.op(vt === "i64" ? "i64_eqz" : "i32_eqz");
    if (op === "!=") lo.w.op("i32_eqz");
    return;
  }
  lo.expr(l);
  lo.expr(r);
  let name = `${vt}_${COMPARISON_NAME[op]}`;
  if (!float && op !== "==" && op !== "!=") name += isSigned(t) ? "_s" : "_u";
  lo.w.op(name as OpName);
}

export function binary(lo: ExprLowerer, e: Binary): void {
  const { op, l, r } = e;
  if (isCompareOp(op)) {
    compare(lo, op, l, r);
    return;
  }
  if (op === "+" && isPointer(e.type)) {
    lo.addOffset(lo.pointer(e));
    return;
  }
  const vt = valType(e.type);
  const w = lo.w;
  if ((op === "|" || op === "^" || op === "+") && rotate(lo, l, r, vt)) return;
  if ((op === "+" || op === "-") && vt === "i32" && postIncrement(lo, l, r, op)) return;
  const rc = constInt(r);
  if (
    rc === 0n &&
    (op === "+" || op === "-" || op === "|" || op === "^" || op === "<<" || op === ">>")
  ) {
    lo.expr(l);
    return;
  }
  if (rc === 1n && (op === "*" || op === "/") && !isFloat(e.type)) {
    lo.expr(l);
    return;
  }
  const signed = isSigned(e.type);
  if ((op === "/" || op === "%") && vt === "i32" && rc !== undefined) {
    const magic = divisionMagic(Number(BigInt.asUintN(32, rc)), signed);
    if (magic && (!signed || rc > 0n)) {
      lo.divideByConstant(l, Number(rc), magic, signed, op === "%");
      return;
    }
  }
  lo.expr(l);
  lo.expr(r);
  if (op === "<<" || op === ">>") {
    const rv = valType(r.type);
    if (vt === "i64" && rv === "i32") w.op("i64_extend_i32_u");
    else if (vt === "i32" && rv === "i64") w.op("i32_wrap_i64");
    w.op(`${vt}_${op === "<<" ? "shl" : signed ? "shr_s" : "shr_u"}` as OpName);
    // A right shift of an N-bit value stays one.
    if (op === "<<") wrapBits(lo, e.type);
    return;
  }
  const float = vt === "f32" || vt === "f64";
  let name: string;
  switch (op) {
    case "+":
      name = "add";
      break;
    case "-":
      name = "sub";
      break;
    case "*":
      name = "mul";
      break;
    case "/":
      name = float ? "div" : signed ? "div_s" : "div_u";
      if (!float) lo.mark(e.loc); // the operator: where a division by zero traps
      break;
    case "%":
      name = signed ? "rem_s" : "rem_u";
      lo.mark(e.loc);
      break;
    case "&":
      name = "and";
      break;
    case "|":
      name = "or";
      break;
    default:
      name = "xor";
  }
  w.op(`${vt}_${name}` as OpName);
  // &, | and ^ of two N-bit values give one; the others can carry out of the N bits.
  if (op !== "&" && op !== "|" && op !== "^") wrapBits(lo, e.type);
}

/**
 * `(x << k) | (x >> (width - k))` with an unsigned right shift (or `^`, `+`: the bits do not
 * overlap) is a rotation: one `rotl` evaluating `x` once, which V8 cannot always see itself
 * (`x` a memory load, say, read twice).
 */
export function rotate(lo: ExprLowerer, l: Expr, r: Expr, vt: ValType): boolean {
  if (vt !== "i32" && vt !== "i64") return false;
  if (l.k !== "binary" || r.k !== "binary") return false;
  const [left, right] = l.op === ">>" ? [r, l] : [l, r];
  if (left.k !== "binary" || right.k !== "binary") return false;
  if (left.op !== "<<" || right.op !== ">>" || isSigned(right.type)) return false;
  if (valType(left.type) !== vt || valType(right.type) !== vt) return false;
  // An N-bit type's shifts wrap at N bits, not at the wasm width: no rotl.
  if (hasBits(left.type) || hasBits(right.type)) return false;
  const a = constInt(left.r);
  const b = constInt(right.r);
  const width = vt === "i32" ? 32n : 64n;
  if (a === undefined || b === undefined || a <= 0n || b <= 0n || a + b !== width) return false;
  if (!sameValue(left.l, right.l, 8)) return false;
  lo.expr(left.l);
  if (vt === "i32") lo.w.i32Const(Number(a)).op("i32_rotl");
  else lo.w.i64Const(a).op("i64_rotl");
  return true;
}

/**
 * `x++` arrives as `(x = x + k) - k`: for an i32 local, push the old value and update the
 * local instead of recomputing the old value from the new one.
 */
export function postIncrement(lo: ExprLowerer, l: Expr, r: Expr, op: "+" | "-"): boolean {
  if (l.k !== "assign" || l.lv.k !== "var" || r.k !== "int") return false;
  const update = l.value;
  if (update.k !== "binary" || update.l.k !== "var" || update.l.v !== l.lv.v) return false;
  if (update.op !== (op === "-" ? "+" : "-") || update.r.k !== "int") return false;
  if (update.r.value !== r.value || valType(update.type) !== "i32") return false;
  const st = lo.frame.storage.get(l.lv.v);
  if (st?.k !== "local") return false;
  const k = Number(BigInt.asIntN(32, r.value));
  const keep = lo.mod.nullChecks && keepsCheck(lo, l.lv.v, st.index, update);
  lo.w.localGet(st.index).localGet(st.index).i32Const(k);
  lo.w.op(update.op === "+" ? "i32_add" : "i32_sub").localSet(st.index);
  if (keep) lo.bodyWriter.markChecked(st.index);
  return true;
}

/** Converts the scalar on the stack from one C type to another. */
export function convert(lo: ExprLowerer, from: Type, to: Type): void {
  const w = lo.w;
  const fv = valType(from);
  const tv = valType(to);
  if (isBool(to)) {
    if (!isBool(from)) lo.testNonZero(from);
    return;
  }
  if (fv === "f32" || fv === "f64") {
    if (tv === "f32" || tv === "f64") {
      if (fv !== tv) w.op(tv === "f64" ? "f64_promote_f32" : "f32_demote_f64");
      return;
    }
    const ti = intInfo(to);
    if (tv === "i64") {
      w.opFC(`i64_trunc_sat_${fv}_${ti.signed ? "s" : "u"}`);
      wrapBits(lo, to);
      return;
    }
    if (hasBits(to)) {
      w.opFC(`i32_trunc_sat_${fv}_s`);
      wrapBits(lo, to);
      return;
    }
    if (ti.size >= 4) {
      w.opFC(`i32_trunc_sat_${fv}_${ti.signed ? "s" : "u"}`);
      return;
    }
    w.opFC(`i32_trunc_sat_${fv}_s`);
    narrow(lo, ti, { size: 4, signed: true });
    return;
  }
  const fi = intInfo(from);
  if (tv === "f32" || tv === "f64") {
    w.op(`${tv}_convert_${fv}_${fi.signed ? "s" : "u"}` as OpName);
    return;
  }
  if (hasBits(to)) {
    if (fv === "i32" && tv === "i64") w.op(fi.signed ? "i64_extend_i32_s" : "i64_extend_i32_u");
    if (fv === "i64" && tv === "i32") w.op("i32_wrap_i64");
    // A narrower value of the same signedness, or an unsigned one into a signed type, fits.
    const pf = precisionOf(from);
    const pt = precisionOf(to);
    const fits =
      (pf < pt && (!isSigned(from) || isSigned(to))) ||
      (pf === pt && isSigned(from) === isSigned(to));
    if (!fits) wrapBits(lo, to);
    return;
  }
  if (fv === "i64" && tv === "i32") {
    w.op("i32_wrap_i64");
    narrow(lo, intInfo(to), { size: 4, signed: true });
  } else if (fv === "i32" && tv === "i64") {
    w.op(fi.signed ? "i64_extend_i32_s" : "i64_extend_i32_u");
  } else if (fv === "i32") {
    narrow(lo, intInfo(to), fi);
  }
}

/** Normalizes an i32 holding a `from` value to a `to` of at most 4 bytes. */
export function narrow(lo: ExprLowerer, to: IntInfo, from: IntInfo): void {
  if (to.size >= 4) return;
  if (from.size < to.size && (!from.signed || to.signed)) return;
  if (from.size === to.size && from.signed === to.signed) return;
  if (to.size === 1) {
    if (to.signed) lo.w.op("i32_extend8_s");
    else lo.w.i32Const(0xff).op("i32_and");
  } else if (to.signed) {
    lo.w.op("i32_extend16_s");
  } else {
    lo.w.i32Const(0xffff).op("i32_and");
  }
}
