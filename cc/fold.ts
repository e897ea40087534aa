// Constant folding on typed AST nodes: the arithmetic of C constants with the exact wrap-around
// and conversion rules of the target (ILP32, signed overflow wraps like -fwrapv).

import type { BinaryOp, Expr, FloatConst, IntConst } from "./ast.ts";
import type { Loc } from "./diagnostics.ts";
import { intToFloat } from "./exact-float.ts";
import { type FloatType, isSigned, type Type } from "./types.ts";

/** Bit width of an integer-like scalar type's storage (pointers are 32-bit). */
function bitsOf(t: Type): number {
  if (t.kind === "int") return t.size * 8;
  return 32; // enum, pointer
}

/** Reduces an integer value to the range of an integer, enum or pointer type. */
export function wrapInt(value: bigint, t: Type): bigint {
  if (t.kind === "int") {
    if (t.name === "_Bool") return value !== 0n ? 1n : 0n;
    const bits = t.bits ?? t.size * 8;
    return t.signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
  }
  if (t.kind === "pointer") return BigInt.asUintN(32, value);
  return BigInt.asIntN(32, value);
}

/** Float to integer conversion: truncates toward zero, saturates out of range (of an N-bit
 * type's N bits, as gcc folds it), NaN is 0. */
export function floatToInt(x: number, t: Type): bigint {
  if (t.kind === "int" && t.name === "_Bool") return x !== 0 ? 1n : 0n;
  if (Number.isNaN(x)) return 0n;
  const bits = BigInt(t.kind === "int" ? (t.bits ?? bitsOf(t)) : bitsOf(t));
  const signed = t.kind !== "pointer" && isSigned(t);
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  if (x === Number.POSITIVE_INFINITY) return max;
  if (x === Number.NEGATIVE_INFINITY) return min;
  const v = BigInt(Math.trunc(x));
  return v > max ? max : v < min ? min : v;
}

export function roundFloat(x: number, t: FloatType): number {
  return t.size === 4 ? Math.fround(x) : x;
}

export function mkInt(value: bigint, type: Type, loc: Loc): IntConst {
  return { k: "int", value: wrapInt(value, type), type, loc };
}

export function mkFloat(value: number, type: FloatType, loc: Loc): FloatConst {
  return { k: "float", value: roundFloat(value, type), type, loc };
}

/** Converts a constant to another scalar type; undefined if the result is not a constant. */
export function foldCast(e: IntConst | FloatConst, to: Type, loc: Loc): Expr | undefined {
  if (to.kind === "float") {
    const v = e.k === "int" ? intToFloat(e.value, to.size === 4 ? 24 : 53) : e.value;
    return mkFloat(v, to, loc);
  }
  if (to.kind === "int" || to.kind === "enum" || to.kind === "pointer") {
    if (e.k === "int") return mkInt(e.value, to, loc);
    if (to.kind === "pointer") return undefined;
    return { k: "int", value: floatToInt(e.value, to), type: to, loc };
  }
  return undefined;
}

export type FoldResult = Expr | "divzero" | undefined;

/** A comparison's truth for two operands of one kind, or undefined if `op` is not one. */
function compare<T extends number | bigint>(op: BinaryOp, a: T, b: T): boolean | undefined {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    default:
      return undefined;
  }
}

/**
 * Folds `l op r` for constant operands that already have the operation's operand type
 * (`type` is the node type: the common type, or int for comparisons).
 */
export function foldBinary(
  op: BinaryOp,
  l: IntConst | FloatConst,
  r: IntConst | FloatConst,
  type: Type,
  loc: Loc,
): FoldResult {
  if (l.k === "float" || r.k === "float") {
    const a = l.k === "float" ? l.value : Number(l.value);
    const b = r.k === "float" ? r.value : Number(r.value);
    const c = compare(op, a, b);
    if (c !== undefined) return mkInt(c ? 1n : 0n, type, loc);
    let v: number;
    switch (op) {
      case "+":
        v = a + b;
        break;
      case "-":
        v = a - b;
        break;
      case "*":
        v = a * b;
        break;
      case "/":
        v = a / b;
        break;
      default:
        return undefined;
    }
    if (type.kind !== "float") return undefined;
    return mkFloat(v, type, loc);
  }
  const a = l.value;
  const b = r.value;
  const c = compare(op, a, b);
  if (c !== undefined) return mkInt(c ? 1n : 0n, type, loc);
  switch (op) {
    case "+":
      return mkInt(a + b, type, loc);
    case "-":
      return mkInt(a - b, type, loc);
    case "*":
      return mkInt(a * b, type, loc);
    case "/":
      if (b === 0n) return "divzero";
      return mkInt(a / b, type, loc);
    case "%":
      if (b === 0n) return "divzero";
      return mkInt(a % b, type, loc);
    case "<<":
    case ">>": {
      // Counts are taken modulo the width, as wasm's shifts do at run time.
      const count = BigInt.asUintN(32, b) % BigInt(bitsOf(type));
      return mkInt(op === "<<" ? a << count : a >> count, type, loc);
    }
    case "&":
      return mkInt(a & b, type, loc);
    case "|":
      return mkInt(a | b, type, loc);
    case "^":
      return mkInt(a ^ b, type, loc);
  }
}

/** Folds `-`, `~` or `!` of a constant already converted to the node's operand type. */
export function foldUnary(
  op: "-" | "~" | "!",
  e: IntConst | FloatConst,
  type: Type,
  loc: Loc,
): Expr | undefined {
  if (op === "!") {
    const zero = e.k === "int" ? e.value === 0n : e.value === 0;
    return mkInt(zero ? 1n : 0n, type, loc);
  }
  if (e.k === "float") {
    if (op === "~" || type.kind !== "float") return undefined;
    return mkFloat(-e.value, type, loc);
  }
  return mkInt(op === "-" ? -e.value : ~e.value, type, loc);
}

export function isConst(e: Expr): e is IntConst | FloatConst {
  return e.k === "int" || e.k === "float";
}

/** True when a constant is zero (for && || ?: folding). */
export function isZero(e: IntConst | FloatConst): boolean {
  return e.k === "int" ? e.value === 0n : e.value === 0;
}

// Ranges accepted by "changes value" checks, per byte size: a value that fits either the
// signed or the unsigned variant of the type (gcc's rule).
const RANGE_MIN = [0n, -(1n << 7n), -(1n << 15n), 0n, -(1n << 31n), 0n, 0n, 0n, -(1n << 63n)];
const RANGE_END = [0n, 1n << 8n, 1n << 16n, 0n, 1n << 32n, 0n, 0n, 0n, 1n << 64n];

/** The range check behind "changes value" warnings for integer constants. */
export function fitsInteger(value: bigint, t: Type): boolean {
  if (t.kind !== "int") return wrapInt(value, t) === value;
  if (t.name === "_Bool") return true;
  if (t.bits) return value >= -(1n << BigInt(t.bits - 1)) && value < 1n << BigInt(t.bits);
  return value >= RANGE_MIN[t.size]! && value < RANGE_END[t.size]!;
}
