// Facts about expression trees that decide which code the lowerer emits: integer widths,
// comparisons, values already 0 or 1, expressions cheap enough to evaluate unconditionally,
// two reads of the same value, and the bits a narrow store keeps.

import { type AstNode, type Expr, forEachChild } from "./ast.ts";
import { isFloat, isRecord, type Type, valType } from "./types.ts";

export interface IntInfo {
  size: number;
  signed: boolean;
}

export function intInfo(t: Type): IntInfo {
  if (t.kind === "int") return { size: t.name === "_Bool" ? 0 : t.size, signed: t.signed };
  if (t.kind === "enum") return { size: 4, signed: true };
  return { size: 4, signed: false }; // pointers
}

export const isBool = (t: Type) => t.kind === "int" && t.name === "_Bool";
export const INVERSE_COMPARISON: Record<string, string> = {
  "==": "!=",
  "!=": "==",
  "<": ">=",
  ">=": "<",
  ">": "<=",
  "<=": ">",
};
export const COMPARISON_NAME: Record<string, string> = {
  "==": "eq",
  "!=": "ne",
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
};

export const isCompareOp = (op: string) =>
  op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";

/** Expressions whose value is already 0 or 1. */
export function isBoolValued(e: Expr): boolean {
  return (
    (e.k === "binary" && isCompareOp(e.op)) ||
    e.k === "logical" ||
    (e.k === "unary" && e.op === "!") ||
    isBool(e.type)
  );
}

export function constInt(e: Expr): bigint | undefined {
  return e.k === "int" ? e.value : undefined;
}

/**
 * Cheap, free of side effects and unable to trap: safe to evaluate unconditionally, so a
 * conditional between two of them becomes `select` (a cmov, no unpredictable branch).
 */
export function isTrivial(e: Expr, budget = 4): boolean {
  if (budget <= 0) return false;
  switch (e.k) {
    case "int":
    case "float":
      return true;
    case "var":
      return (
        e.v.kind !== "global" && e.v.kind !== "function" && !e.v.addressTaken && !isRecord(e.type)
      );
    case "cast":
      return !isFloat(e.arg.type) && !isFloat(e.type) && isTrivial(e.arg, budget - 1);
    case "unary":
      return e.op !== "!" && isTrivial(e.arg, budget - 1);
    case "binary":
      return (
        e.op !== "/" &&
        e.op !== "%" &&
        !isCompareOp(e.op) &&
        isTrivial(e.l, budget - 1) &&
        isTrivial(e.r, budget - 2)
      );
    default:
      return false;
  }
}

/**
 * Whether evaluating `e` may assign a variable: `select` evaluates its operands before the
 * condition, which is then only right when the condition cannot change what they read
 * (`i++ ? i : 0`, GNU `x ?: y`'s temporary).
 */
export function mayAssign(e: AstNode): boolean {
  if (e.k === "assign" || e.k === "stmtexpr") return true;
  return forEachChild(e, (c) => (mayAssign(c) ? true : undefined)) === true;
}

/**
 * The expression whose low bytes a store of type `t` needs: `store8`/`store16` truncate, so
 * integer narrowing casts in front of them are redundant.
 */
export function storedBits(e: Expr, t: Type): Expr {
  const width = storeWidth(t);
  if (width >= 4) return e;
  while (
    e.k === "cast" &&
    e.type.kind === "int" &&
    e.type.name !== "_Bool" &&
    e.type.bits === undefined &&
    e.type.size >= width &&
    e.type.size <= 4 &&
    (e.arg.type.kind === "int" || e.arg.type.kind === "enum") &&
    valType(e.arg.type) === "i32"
  ) {
    e = e.arg;
  }
  return e;
}

/**
 * Whether two expressions certainly have the same value when evaluated back to back: the same
 * tree of reads and pure operators (no assignments, calls or increments), at most `depth` deep.
 */
export function sameValue(a: Expr, b: Expr, depth: number): boolean {
  if (depth <= 0 || a.k !== b.k || !sameScalarType(a.type, b.type)) return false;
  switch (a.k) {
    case "int":
      return a.value === (b as typeof a).value;
    case "var":
      return a.v === (b as typeof a).v && a.v.kind !== "function";
    case "deref":
      return sameValue(a.ptr, (b as typeof a).ptr, depth - 1);
    case "member": {
      const m = b as typeof a;
      return a.member.offset === m.member.offset && sameValue(a.base, m.base, depth - 1);
    }
    case "addr":
      return sameValue(a.lv, (b as typeof a).lv, depth - 1);
    case "cast":
      return sameValue(a.arg, (b as typeof a).arg, depth - 1);
    case "unary":
      return a.op === (b as typeof a).op && sameValue(a.arg, (b as typeof a).arg, depth - 1);
    case "binary": {
      const o = b as typeof a;
      return a.op === o.op && sameValue(a.l, o.l, depth - 1) && sameValue(a.r, o.r, depth - 1);
    }
    default:
      return false;
  }
}

export function sameScalarType(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || valType(a) !== valType(b)) return false;
  if (a.kind === "int" && b.kind === "int") {
    return (
      a.size === b.size && a.signed === b.signed && isBool(a) === isBool(b) && a.bits === b.bits
    );
  }
  return a.kind === "pointer" || a.kind === "float" || a.kind === "enum";
}

/** Bytes an integer store of type `t` writes (4 for anything not narrower than i32). */
export function storeWidth(t: Type): number {
  return t.kind === "int" && t.name !== "_Bool" ? Math.min(t.size, 4) : 4;
}
