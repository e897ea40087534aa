// C's implicit conversions as explicit cast nodes (assignment, argument, condition and
// default promotions, with their diagnostics), and lvalue checks.

import type { Assign, Expr, MemberAccess } from "./ast.ts";
import type { Loc } from "./diagnostics.ts";
import { addressOf } from "./expr-nodes.ts";
import { show } from "./expressions.ts";
import { fitsInteger, floatToInt, foldCast, isConst, mkInt, wrapInt } from "./fold.ts";
import type { Parser } from "./parse.ts";
import {
  type BitField,
  doubleType,
  intType,
  isArithmetic,
  isInteger,
  isPointer,
  isRecord,
  isScalar,
  type PointerType,
  pointerTo,
  promote,
  sameType,
  type Type,
} from "./types.ts";

// ---- conversions ----

/** Array and function designators used as values decay to pointers (as `addr` nodes). */
export function val(p: Parser, e: Expr): Expr {
  const t = e.type;
  if (t.kind === "array") {
    const ptr = pointerTo(t.of);
    if (isConstLvalue(p, e)) p.constPointee.add(ptr);
    return { k: "addr", lv: e, type: ptr, loc: e.loc };
  }
  if (t.kind === "function") {
    if (e.k === "deref") return e.ptr;
    return { k: "addr", lv: e, type: pointerTo(t), loc: e.loc };
  }
  return e;
}

/** Converts a scalar (or folds a constant) to type `to`; no checks (callers did them). */
export function castTo(e: Expr, to: Type, loc: Loc = e.loc): Expr {
  if (e.type === to) return e;
  if (to.kind !== "void" && sameType(e.type, to)) return e;
  if (isConst(e) && to.kind !== "void") {
    const folded = foldCast(e, to, loc);
    if (folded) return folded;
  }
  return { k: "cast", arg: e, type: to, loc };
}

/** The value of a controlling expression: any scalar. */
export function toCondition(p: Parser, e: Expr): Expr {
  e = val(p, e);
  if (!isScalar(e.type)) {
    if (e.type.kind === "void") p.error(e.loc, "void value not ignored as it ought to be");
    else p.error(e.loc, `used ${e.type.kind} type value where scalar is required`);
    return mkInt(0n, intType, e.loc);
  }
  return e;
}

/** Drops what a discarded value does not need: postfix ++/-- become prefix. */
export function discard(p: Parser, e: Expr): Expr {
  const alt = p.postfixAlt.get(e);
  if (alt) return alt;
  if (e.k === "comma") {
    const r = discard(p, e.r);
    if (r !== e.r) return { k: "comma", l: e.l, r, type: r.type, loc: e.loc };
  }
  return e;
}

export function isNullPointerConstant(e: Expr): boolean {
  if (e.k !== "int" || e.value !== 0n) return false;
  return isInteger(e.type) || (e.type.kind === "pointer" && e.type.to.kind === "void");
}

export function pointersCompatible(p: Parser, a: PointerType, b: PointerType): boolean {
  if (a.to.kind === "void" || b.to.kind === "void" || sameType(a.to, b.to)) return true;
  // `int (*)()` takes any non-variadic function returning int (C99 6.7.5.3p15).
  const f = a.to;
  const g = b.to;
  if (f.kind !== "function" || g.kind !== "function") return false;
  if (p.noPrototype.has(f)) return !g.variadic && sameType(f.ret, g.ret);
  if (p.noPrototype.has(g)) return !f.variadic && sameType(f.ret, g.ret);
  return false;
}

/**
 * The implicit conversion of assignment, initialization, argument passing and return
 * (C99 6.5.16.1), with its diagnostics. `what` completes "... when <what> type 'T'".
 */
export function convertAssign(
  p: Parser,
  e: Expr,
  to: Type,
  what: "assigning to" | "initializing" | "passing" | "returning" | "switch",
  silent = false,
  loc: Loc = e.loc,
): Expr {
  e = val(p, e);
  const from = e.type;
  if (isArithmetic(to) && isArithmetic(from)) {
    if (!silent) warnConstantChange(p, e, to);
    return castTo(e, to);
  }
  if (to.kind === "int" && to.name === "_Bool" && isPointer(from)) return castTo(e, to);
  if (to.kind === "pointer") {
    if (from.kind === "pointer") {
      if (!pointersCompatible(p, to, from)) {
        const a = to.to;
        const b = from.to;
        if (a.kind === "int" && b.kind === "int" && a.size === b.size) {
          p.warn(e.loc, `pointer targets in ${what} '${show(to)}' differ in signedness`);
        } else {
          // A warning, as in gcc before 14 (-Werror / warningsAsErrors makes it an error).
          p.warn(loc, `incompatible pointer types ${what} '${show(to)}' from '${show(from)}'`);
        }
      }
      return castTo(e, to);
    }
    if (isInteger(from)) {
      if (isNullPointerConstant(e)) return mkInt(0n, to, e.loc);
      p.error(
        e.loc,
        `incompatible integer to pointer conversion ${what} '${show(to)}' from '${show(from)}'`,
      );
      return castTo(e, to);
    }
  }
  if (isInteger(to) && from.kind === "pointer") {
    p.error(
      e.loc,
      `incompatible pointer to integer conversion ${what} '${show(to)}' from '${show(from)}'`,
    );
    return castTo(e, to);
  }
  if (isRecord(to) && isRecord(from) && sameType(to, from)) return e;
  if (to.kind === "vector" && from.kind === "vector") return e;
  if (from.kind === "void") {
    p.error(loc, "void value not ignored as it ought to be");
  } else {
    // gcc puts this one at the value of an assignment, the others at the `=`.
    p.error(
      what === "assigning to" ? e.loc : loc,
      `incompatible types when ${what} type '${show(to)}' from type '${show(from)}'`,
    );
  }
  return isScalar(to) ? mkInt(0n, to, e.loc) : e;
}

/** "changes value" warnings for implicit conversions of constants. */
function warnConstantChange(p: Parser, e: Expr, to: Type): void {
  if (!isInteger(to) || (to.kind === "int" && to.name === "_Bool")) return;
  if (e.k === "int") {
    if (fitsInteger(e.value, to)) return;
    const kind = to.kind === "int" && !to.signed ? "unsigned conversion" : "overflow in conversion";
    p.warn(
      e.loc,
      `${kind} from '${show(e.type)}' to '${show(to)}' changes value from ${e.value} to ${wrapInt(e.value, to)}`,
    );
  } else if (e.k === "float") {
    const v = floatToInt(e.value, to);
    if (Number(v) === e.value) return;
    p.warn(
      e.loc,
      `implicit conversion from '${show(e.type)}' to '${show(to)}' changes value from ${e.value} to ${v}`,
    );
  }
}

export function promoteAll(p: Parser, args: Expr[]): Expr[] {
  const out: Expr[] = [];
  for (const a of args) out.push(defaultPromote(p, a));
  return out;
}

/** Default argument promotions for arguments matching `...` or an unprototyped callee. */
export function defaultPromote(p: Parser, e: Expr): Expr {
  e = val(p, e);
  if (e.type.kind === "float") return castTo(e, doubleType);
  if (isInteger(e.type)) return castTo(e, promote(e.type));
  if (e.type.kind === "void") p.error(e.loc, "invalid use of void expression");
  return e;
}

// ---- lvalues ----

/** A bit-field member access (an lvalue without an address). */
export function isBitField(e: Expr): e is MemberAccess & { member: { bits: BitField } } {
  return e.k === "member" && e.member.bits !== undefined;
}

export function isLvalue(e: Expr): boolean {
  switch (e.k) {
    case "var":
      return e.v.kind !== "function";
    case "deref":
      return e.type.kind !== "function";
    case "member":
      return isLvalue(e.base);
    case "compound":
      return true;
    default:
      return false;
  }
}

export function isConstLvalue(p: Parser, e: Expr): boolean {
  switch (e.k) {
    case "var":
    case "compound":
      return p.constVars.has(e.v);
    case "member":
      return isConstLvalue(p, e.base);
    case "deref":
      return p.constPointee.has(e.ptr.type);
    default:
      return false;
  }
}

/** Reports why `lv` cannot be assigned (or incremented); true when it can. */
export function checkAssignable(
  p: Parser,
  lv: Expr,
  loc: Loc,
  what: "assignment" | "increment" | "decrement",
): boolean {
  if (!isLvalue(lv)) {
    p.error(
      loc,
      what === "assignment"
        ? "lvalue required as left operand of assignment"
        : `lvalue required as ${what} operand`,
    );
    return false;
  }
  if (lv.type.kind === "array") {
    p.error(loc, "assignment to expression with array type");
    return false;
  }
  if (isConstLvalue(p, lv)) {
    if (lv.k === "var") p.error(loc, `${what} of read-only variable '${lv.v.name}'`);
    else if (lv.k === "member" && lv.member.name !== undefined) {
      p.error(loc, `${what} of read-only member '${lv.member.name}'`);
    } else p.error(loc, `${what} of read-only location`);
    return false;
  }
  if (isRecord(lv.type) && !lv.type.complete) {
    p.error(loc, `invalid use of incomplete type '${show(lv.type)}'`);
    return false;
  }
  // A compound literal is stored through its address (lowering writes it in memory), so it
  // cannot live in a wasm local like an unaddressed scalar: `(int){3} = 5` is legal C.
  if (lv.k === "compound") lv.v.addressTaken = true;
  return true;
}

/** Small side-effect-free lvalue or address expressions can be evaluated twice. */
function isPure(e: Expr, budget: { n: number }): boolean {
  if (--budget.n < 0) return false;
  switch (e.k) {
    case "var":
    case "int":
    case "float":
      return true;
    case "member":
      return isPure(e.base, budget);
    case "deref":
      return isPure(e.ptr, budget);
    case "addr":
      return isPure(e.lv, budget);
    case "cast":
      return isPure(e.arg, budget);
    case "binary":
      return isPure(e.l, budget) && isPure(e.r, budget);
    default:
      return false;
  }
}

/**
 * An lvalue that can be both read and written: `lv` itself when that is cheap and pure,
 * otherwise `*t` with `t = &lv` evaluated once in `setup`.
 */
export function stableLvalue(p: Parser, lv: Expr, loc: Loc): { lv: Expr; setup?: Expr } {
  if (isPure(lv, { n: 8 })) return { lv };
  if (isBitField(lv)) {
    // No address of its own: make the record holding it stable instead.
    const base = stableLvalue(p, lv.base, loc);
    return { lv: { ...lv, base: base.lv }, setup: base.setup };
  }
  const ptrType = pointerTo(lv.type);
  if (isConstLvalue(p, lv)) p.constPointee.add(ptrType);
  const tmp = p.newTemp(ptrType, loc);
  tmp.uses = 2;
  const tmpRef: Expr = { k: "var", v: tmp, type: ptrType, loc };
  const setup: Assign = {
    k: "assign",
    lv: tmpRef,
    value: addressOf(p, lv, loc),
    type: ptrType,
    loc,
  };
  return { lv: { k: "deref", ptr: tmpRef, type: lv.type, loc }, setup };
}
