// Expressions: parsing with the semantic rules of C applied as each node is built, so every
// node carries its final type and the implicit conversions are explicit (see ast.ts).

import type { Assign, BinaryOp, Call, Expr } from "./ast.ts";
import { isTypeStart, parseTypeName } from "./declarations.ts";
import type { Loc } from "./diagnostics.ts";
import {
  fitsInteger,
  floatToInt,
  foldBinary,
  foldCast,
  foldUnary,
  isConst,
  isZero,
  mkFloat,
  mkInt,
  wrapInt,
} from "./fold.ts";
import { parseInitializer } from "./initializers.ts";
import { isKeyword } from "./keywords.ts";
import { parseNumber } from "./numbers.ts";
import type { Parser } from "./parse.ts";
import {
  alignOf,
  commonType,
  doubleType,
  type FunctionType,
  findMember,
  intType,
  isArithmetic,
  isFloat,
  isInteger,
  isPointer,
  isRecord,
  isScalar,
  type PointerType,
  pointerTo,
  promote,
  sameType,
  sizeOf,
  sizeType,
  type Type,
  typeToString,
  voidType,
} from "./types.ts";

/** Precedence of a binary operator token (0: not one), from its characters, no hashing. */
function binaryPrecedence(s: string): number {
  const c = s.charCodeAt(0);
  if (s.length === 1) {
    switch (c) {
      case 42: // *
      case 47: // /
      case 37: // %
        return 10;
      case 43: // +
      case 45: // -
        return 9;
      case 60: // <
      case 62: // >
        return 7;
      case 38: // &
        return 5;
      case 94: // ^
        return 4;
      case 124: // |
        return 3;
    }
    return 0;
  }
  if (s.length !== 2) return 0;
  const d = s.charCodeAt(1);
  if (d === 61) {
    if (c === 61 || c === 33) return 6; // == !=
    if (c === 60 || c === 62) return 7; // <= >=
    return 0;
  }
  if (c === d) {
    if (c === 124) return 1; // ||
    if (c === 38) return 2; // &&
    if (c === 60 || c === 62) return 8; // << >>
  }
  return 0;
}

/** The operator of a compound assignment token (`+=` -> `+`), if it is one. */
function compoundAssignOp(s: string): BinaryOp | undefined {
  const n = s.length;
  if (n < 2 || s.charCodeAt(n - 1) !== 61) return undefined;
  if (n === 3) return s === "<<=" ? "<<" : s === ">>=" ? ">>" : undefined;
  if (n !== 2) return undefined;
  switch (s.charCodeAt(0)) {
    case 43:
      return "+";
    case 45:
      return "-";
    case 42:
      return "*";
    case 47:
      return "/";
    case 37:
      return "%";
    case 38:
      return "&";
    case 124:
      return "|";
    case 94:
      return "^";
  }
  return undefined;
}

/** Operators chained at one level count as one nesting level per this many, which bounds the
 *  height of the tree that later recursive passes walk. */
const CHAIN_PER_LEVEL = 8;

const show = (t: Type) => typeToString(t);

// ---- entry points ----

/** expression: assignment-expression (',' assignment-expression)* */
export function parseExpr(p: Parser): Expr {
  let e = parseAssign(p);
  if (!p.at(",")) return e;
  const depth = p.depth;
  try {
    let chain = 0;
    while (p.at(",")) {
      const loc = p.next().loc;
      if (++chain % CHAIN_PER_LEVEL === 0) p.enter();
      const r = val(p, parseAssign(p));
      e = { k: "comma", l: discard(p, e), r, type: r.type, loc };
    }
    return e;
  } finally {
    p.depth = depth;
  }
}

export function parseAssign(p: Parser): Expr {
  const lhs = parseConditional(p);
  const t = p.tok;
  if (t.kind !== "punct") return lhs;
  if (t.text === "=") {
    p.pos++;
    p.enter();
    try {
      return makeAssign(p, lhs, parseAssign(p), t.loc);
    } finally {
      p.leave();
    }
  }
  const op = compoundAssignOp(t.text);
  if (op === undefined) return lhs;
  p.pos++;
  p.enter();
  try {
    const rhs = parseAssign(p);
    if (!checkAssignable(p, lhs, t.loc, "assignment")) return lhs;
    return compoundAssign(p, op, lhs, rhs, t.loc);
  } finally {
    p.leave();
  }
}

/** A constant-expression (C99 6.6): a conditional expression, folded. */
export function parseConstantExpr(p: Parser): Expr {
  p.iceDepth++;
  try {
    return parseConditional(p);
  } finally {
    p.iceDepth--;
  }
}

/** An integer constant expression; reports an error and yields undefined when it is not. */
export function parseIntConstExpr(p: Parser, loc: Loc = p.tok.loc): bigint | undefined {
  const errors = p.diags.errorCount;
  const e = parseConstantExpr(p);
  if (e.k === "int" && isInteger(e.type)) return e.value;
  if (p.diags.errorCount === errors) {
    p.error(loc, "expression is not an integer constant expression");
  }
  return undefined;
}

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

function pointersCompatible(a: PointerType, b: PointerType): boolean {
  return a.to.kind === "void" || b.to.kind === "void" || sameType(a.to, b.to);
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
      if (!pointersCompatible(to, from)) {
        const a = to.to;
        const b = from.to;
        if (a.kind === "int" && b.kind === "int" && a.size === b.size) {
          p.warn(e.loc, `pointer targets in ${what} '${show(to)}' differ in signedness`);
        } else {
          // An error, as in gcc 14 and clang.
          p.error(loc, `incompatible pointer types ${what} '${show(to)}' from '${show(from)}'`);
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

function promoteAll(p: Parser, args: Expr[]): Expr[] {
  const out: Expr[] = [];
  for (const a of args) out.push(defaultPromote(p, a));
  return out;
}

/** Default argument promotions for arguments matching `...` or an unprototyped callee. */
function defaultPromote(p: Parser, e: Expr): Expr {
  e = val(p, e);
  if (e.type.kind === "float") return castTo(e, doubleType);
  if (isInteger(e.type)) return castTo(e, promote(e.type));
  if (e.type.kind === "void") p.error(e.loc, "invalid use of void expression");
  return e;
}

// ---- lvalues ----

function isLvalue(e: Expr): boolean {
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
function checkAssignable(
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
function stableLvalue(p: Parser, lv: Expr, loc: Loc): { lv: Expr; setup?: Expr } {
  if (isPure(lv, { n: 8 })) return { lv };
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

// ---- node builders ----

function makeAssign(p: Parser, lv: Expr, value: Expr, loc: Loc): Expr {
  if (!checkAssignable(p, lv, loc, "assignment")) return lv;
  if (lv.k === "var") lv.v.uses--; // a store, not a read
  const v = convertAssign(p, value, lv.type, "assigning to", false, loc);
  return { k: "assign", lv, value: v, type: lv.type, loc };
}

/** `lv op= rhs` as `lv = (T)(lv op rhs)`, evaluating lv's address once. */
function compoundAssign(p: Parser, op: BinaryOp, lv: Expr, rhs: Expr, loc: Loc): Expr {
  const stable = stableLvalue(p, lv, loc);
  const target = stable.lv;
  let value: Expr;
  rhs = val(p, rhs);
  if ((op === "+" || op === "-") && target.type.kind === "pointer") {
    if (!isInteger(rhs.type)) {
      invalidOperands(p, op, target, rhs, loc);
      return target;
    }
    value = pointerOffset(p, op, target, rhs, loc);
  } else {
    value = castTo(makeBinary(p, op, target, rhs, loc), target.type);
  }
  const assign: Expr = { k: "assign", lv: target, value, type: target.type, loc };
  if (!stable.setup) return assign;
  return { k: "comma", l: stable.setup, r: assign, type: assign.type, loc };
}

function makeIncDec(p: Parser, op: "+" | "-", e: Expr, prefix: boolean, loc: Loc): Expr {
  const what = op === "+" ? "increment" : "decrement";
  if (!checkAssignable(p, e, loc, what)) return e;
  if (!isScalar(e.type)) {
    p.error(loc, `wrong type argument to ${what}`);
    return e;
  }
  const one = mkInt(1n, intType, loc);
  if (prefix) return compoundAssign(p, op, e, one, loc);
  const t = e.type;
  if (t.kind === "pointer" || t.kind === "enum" || (t.kind === "int" && t.name !== "_Bool")) {
    // x++ is (x += 1) - 1 in x's type: exact for integers (wrapping) and pointers.
    const inc = compoundAssign(p, op, e, one, loc);
    const back = op === "+" ? "-" : "+";
    const res =
      t.kind === "pointer"
        ? pointerOffset(p, back, inc, one, loc)
        : castTo(makeBinary(p, back, inc, one, loc), t);
    p.postfixAlt.set(res, inc);
    return res;
  }
  // float and _Bool: keep the old value in a temporary.
  const stable = stableLvalue(p, e, loc);
  const tmp = p.newTemp(t, loc);
  tmp.uses = 1;
  const tmpRef: Expr = { k: "var", v: tmp, type: t, loc };
  const save: Expr = { k: "assign", lv: tmpRef, value: stable.lv, type: t, loc };
  const update = compoundAssign(p, op, stable.lv, one, loc);
  let res: Expr = {
    k: "comma",
    l: save,
    r: { k: "comma", l: update, r: tmpRef, type: t, loc },
    type: t,
    loc,
  };
  let alt = update;
  if (stable.setup) {
    res = { k: "comma", l: stable.setup, r: res, type: t, loc };
    alt = { k: "comma", l: stable.setup, r: update, type: t, loc };
  }
  p.postfixAlt.set(res, alt);
  return res;
}

function invalidOperands(p: Parser, op: string, l: Expr, r: Expr, loc: Loc): Expr {
  p.error(loc, `invalid operands to binary ${op} (have '${show(l.type)}' and '${show(r.type)}')`);
  return mkInt(0n, intType, loc);
}

/** Builds a binary node, folding constant operands. Operands already have their types. */
function binaryNode(p: Parser, op: BinaryOp, l: Expr, r: Expr, type: Type, loc: Loc): Expr {
  if (isConst(l) && isConst(r)) {
    const folded = foldBinary(op, l, r, type, loc);
    if (folded === "divzero") {
      if (p.iceDepth > 0) p.error(loc, "division by zero in constant expression");
      else p.warn(loc, "division by zero");
    } else if (folded) {
      return folded;
    }
  } else if ((op === "/" || op === "%") && r.k === "int" && r.value === 0n) {
    p.warn(loc, "division by zero");
  }
  return { k: "binary", op, l, r, type, loc };
}

/** `ptr ± i`: the index converted to int and scaled by the element size. */
function pointerOffset(p: Parser, op: "+" | "-", ptr: Expr, index: Expr, loc: Loc): Expr {
  const pt = ptr.type as PointerType;
  const to = pt.to;
  if (isRecord(to) && !to.complete) {
    p.error(loc, `arithmetic on a pointer to an incomplete type '${show(to)}'`);
  }
  const size = sizeOf(to);
  const i = castTo(index, intType);
  const scaled =
    size === 1 ? i : binaryNode(p, "*", i, mkInt(BigInt(size), intType, loc), intType, loc);
  if (scaled.k === "int" && scaled.value === 0n) return ptr;
  return { k: "binary", op, l: ptr, r: scaled, type: pt, loc };
}

export function makeBinary(p: Parser, op: string, l: Expr, r: Expr, loc: Loc): Expr {
  if (op === "&&" || op === "||") return makeLogical(p, op, l, r, loc);
  l = val(p, l);
  r = val(p, r);
  const lt = l.type;
  const rt = r.type;
  switch (op) {
    case "+":
    case "-":
      if (isArithmetic(lt) && isArithmetic(rt)) break;
      if (op === "+" && isInteger(lt) && rt.kind === "pointer")
        return pointerOffset(p, "+", r, l, loc);
      if (lt.kind === "pointer" && isInteger(rt)) return pointerOffset(p, op, l, r, loc);
      if (op === "-" && lt.kind === "pointer" && rt.kind === "pointer") {
        if (!sameType(lt.to, rt.to)) return invalidOperands(p, op, l, r, loc);
        const size = sizeOf(lt.to);
        const diff = binaryNode(p, "-", castTo(l, intType), castTo(r, intType), intType, loc);
        if (size === 1) return diff;
        return binaryNode(p, "/", diff, mkInt(BigInt(size), intType, loc), intType, loc);
      }
      return invalidOperands(p, op, l, r, loc);
    case "*":
    case "/":
      if (!isArithmetic(lt) || !isArithmetic(rt)) return invalidOperands(p, op, l, r, loc);
      break;
    case "%":
    case "&":
    case "|":
    case "^":
      if (!isInteger(lt) || !isInteger(rt)) return invalidOperands(p, op, l, r, loc);
      break;
    case "<<":
    case ">>": {
      if (!isInteger(lt) || !isInteger(rt)) return invalidOperands(p, op, l, r, loc);
      const t = promote(lt);
      return binaryNode(p, op, castTo(l, t), castTo(r, promote(rt)), t, loc);
    }
    default:
      return makeComparison(p, op as BinaryOp, l, r, loc);
  }
  const t = commonType(lt, rt);
  return binaryNode(p, op as BinaryOp, castTo(l, t), castTo(r, t), t, loc);
}

function makeComparison(p: Parser, op: BinaryOp, l: Expr, r: Expr, loc: Loc): Expr {
  const lt = l.type;
  const rt = r.type;
  if (isArithmetic(lt) && isArithmetic(rt)) {
    const t = commonType(lt, rt);
    return binaryNode(p, op, castTo(l, t), castTo(r, t), intType, loc);
  }
  if (lt.kind === "pointer" && rt.kind === "pointer") {
    if (!pointersCompatible(lt, rt))
      p.warn(loc, "comparison of distinct pointer types lacks a cast");
    return binaryNode(p, op, l, r, intType, loc);
  }
  if (lt.kind === "pointer" && isInteger(rt)) {
    if (!isNullPointerConstant(r)) p.warn(loc, "comparison between pointer and integer");
    return binaryNode(p, op, l, castTo(r, lt), intType, loc);
  }
  if (rt.kind === "pointer" && isInteger(lt)) {
    if (!isNullPointerConstant(l)) p.warn(loc, "comparison between pointer and integer");
    return binaryNode(p, op, castTo(l, rt), r, intType, loc);
  }
  return invalidOperands(p, op, l, r, loc);
}

function makeLogical(p: Parser, op: "&&" | "||", l: Expr, r: Expr, loc: Loc): Expr {
  l = toCondition(p, l);
  r = toCondition(p, r);
  if (isConst(l)) {
    const lz = isZero(l);
    if (op === "&&" && lz) return mkInt(0n, intType, loc);
    if (op === "||" && !lz) return mkInt(1n, intType, loc);
    if (isConst(r)) return mkInt(isZero(r) ? 0n : 1n, intType, loc);
  }
  return { k: "logical", op, l, r, type: intType, loc };
}

function makeUnary(p: Parser, op: string, e: Expr, loc: Loc): Expr {
  e = val(p, e);
  const t = e.type;
  if (op === "!") {
    if (!isScalar(t)) {
      p.error(loc, `invalid argument type '${show(t)}' to unary expression`);
      return mkInt(0n, intType, loc);
    }
    if (isConst(e)) return foldUnary("!", e, intType, loc)!;
    return { k: "unary", op: "!", arg: e, type: intType, loc };
  }
  if (op === "~" ? !isInteger(t) : !isArithmetic(t)) {
    p.error(loc, `invalid argument type '${show(t)}' to unary expression`);
    return mkInt(0n, intType, loc);
  }
  const pt = promote(t);
  const arg = castTo(e, pt);
  if (op === "+") return arg;
  if (isConst(arg)) {
    const folded = foldUnary(op as "-" | "~", arg, pt, loc);
    if (folded) return folded;
  }
  return { k: "unary", op: op as "-" | "~", arg, type: pt, loc };
}

/** `&lv` (with `&*p` = p), marking variables whose address escapes. */
export function addressOf(p: Parser, e: Expr, loc: Loc): Expr {
  switch (e.k) {
    case "deref":
      if (e.type.kind === "function") return e.ptr;
      return e.ptr.type.kind === "pointer" && sameType(e.ptr.type.to, e.type)
        ? e.ptr
        : { k: "addr", lv: e, type: pointerTo(e.type), loc };
    case "var":
      if (e.v.kind !== "function") {
        e.v.addressTaken = true;
        p.explicitlyAddressed.add(e.v);
      }
      break;
    case "compound":
      e.v.addressTaken = true;
      break;
    case "member": {
      if (!isLvalue(e)) {
        p.error(loc, "lvalue required as unary '&' operand");
        return mkInt(0n, pointerTo(e.type), loc);
      }
      break;
    }
    default:
      p.error(loc, "lvalue required as unary '&' operand");
      return mkInt(0n, pointerTo(e.type), loc);
  }
  const type = pointerTo(e.type);
  if (isConstLvalue(p, e)) p.constPointee.add(type);
  return { k: "addr", lv: e, type, loc };
}

function makeDeref(p: Parser, e: Expr, loc: Loc): Expr {
  e = val(p, e);
  if (e.type.kind !== "pointer") {
    p.fatal(loc, `indirection requires pointer operand ('${show(e.type)}' invalid)`);
  }
  return { k: "deref", ptr: e, type: e.type.to, loc };
}

function makeConditional(p: Parser, c: Expr, t: Expr, f: Expr, loc: Loc): Expr {
  t = val(p, t);
  f = val(p, f);
  const tt = t.type;
  const ft = f.type;
  let type: Type;
  if (isArithmetic(tt) && isArithmetic(ft)) {
    type = commonType(tt, ft);
  } else if (tt.kind === "void" || ft.kind === "void") {
    type = voidType;
  } else if (isRecord(tt) && isRecord(ft) && sameType(tt, ft)) {
    type = tt;
  } else if (tt.kind === "pointer" && ft.kind === "pointer") {
    if (sameType(tt, ft)) type = tt;
    else if (isNullPointerConstant(f)) type = tt;
    else if (isNullPointerConstant(t)) type = ft;
    else if (tt.to.kind === "void") type = tt;
    else if (ft.to.kind === "void") type = ft;
    else {
      p.warn(loc, "pointer type mismatch in conditional expression");
      type = tt;
    }
  } else if (tt.kind === "pointer" && isInteger(ft)) {
    if (!isNullPointerConstant(f))
      p.warn(loc, "pointer/integer type mismatch in conditional expression");
    type = tt;
  } else if (ft.kind === "pointer" && isInteger(tt)) {
    if (!isNullPointerConstant(t))
      p.warn(loc, "pointer/integer type mismatch in conditional expression");
    type = ft;
  } else {
    p.error(loc, "type mismatch in conditional expression");
    return t;
  }
  if (type.kind !== "struct" && type.kind !== "union") {
    t = castTo(t, type);
    f = castTo(f, type);
  }
  if (isConst(c)) return isZero(c) ? f : t;
  return { k: "cond", c, t, f, type, loc };
}

function makeCast(p: Parser, e: Expr, to: Type, loc: Loc): Expr {
  e = val(p, e);
  if (to.kind === "void") return castTo(e, voidType, loc);
  if (!isScalar(to)) {
    if (isRecord(to) && sameType(to, e.type)) return e;
    p.error(loc, `conversion to non-scalar type '${show(to)}' requested`);
    return e;
  }
  if (!isScalar(e.type)) {
    p.error(loc, `cannot convert a value of type '${show(e.type)}' to '${show(to)}'`);
    return mkInt(0n, to, loc);
  }
  if ((isFloat(to) && isPointer(e.type)) || (isPointer(to) && isFloat(e.type))) {
    p.error(loc, `cannot convert between pointer and floating type '${show(to)}'`);
    return mkInt(0n, to.kind === "float" ? intType : to, loc);
  }
  return castTo(e, to, loc);
}

function memberAccess(p: Parser, base: Expr, loc: Loc): Expr {
  const name = p.expectIdent();
  const t = base.type;
  if (!isRecord(t)) {
    p.fatal(loc, `request for member '${name.text}' in something not a structure or union`);
  }
  if (!t.complete) p.fatal(loc, `invalid use of incomplete type '${show(t)}'`);
  const m = findMember(t, name.text);
  if (!m) p.fatal(loc, `no member named '${name.text}' in '${show(t)}'`);
  return { k: "member", base, member: m, type: m.type, loc: name.loc };
}

function subscript(p: Parser, a: Expr, i: Expr, loc: Loc): Expr {
  a = val(p, a);
  i = val(p, i);
  if (isInteger(a.type) && i.type.kind === "pointer") [a, i] = [i, a];
  if (a.type.kind !== "pointer") p.fatal(loc, "subscripted value is not an array or pointer");
  if (!isInteger(i.type)) p.fatal(i.loc, "array subscript is not an integer");
  return makeDeref(p, pointerOffset(p, "+", a, i, loc), loc);
}

function calleeName(e: Expr): string {
  if (e.k === "var") return e.v.name;
  if (e.k === "deref" || e.k === "addr") return calleeName(e.k === "deref" ? e.ptr : e.lv);
  return "<function pointer>";
}

function makeCall(p: Parser, callee: Expr, args: Expr[], loc: Loc): Expr {
  let fnType: FunctionType;
  let target: Expr;
  const direct = callee.k === "var" && callee.v.kind === "function" ? callee.v : undefined;
  if (direct && direct.type.kind === "function") {
    fnType = direct.type;
    target = callee;
    p.fn?.callees.add(direct);
  } else {
    target = val(p, callee);
    if (target.k === "addr" && target.lv.k === "var" && target.lv.v.kind === "function") {
      // `(*f)(x)` and `(&f)(x)` are direct calls too.
      return makeCall(p, target.lv, args, loc);
    }
    const t = target.type;
    if (t.kind !== "pointer" || t.to.kind !== "function") {
      p.fatal(callee.loc, "called object is not a function or function pointer");
    }
    fnType = t.to;
  }
  const name = calleeName(callee);
  if (p.noPrototype.has(fnType)) {
    const call: Call = {
      k: "call",
      callee: target,
      fnType,
      args: promoteAll(p, args),
      type: fnType.ret,
      loc,
    };
    if (args.length > 0) p.unprototypedCalls.push({ call, v: direct, loc: callee.loc });
    return call;
  }
  const params = fnType.params;
  if (args.length < params.length) {
    p.error(callee.loc, `too few arguments to function '${name}'`);
  } else if (args.length > params.length && !fnType.variadic) {
    p.error(callee.loc, `too many arguments to function '${name}'`);
  }
  const converted: Expr[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    converted.push(
      i < params.length ? convertAssign(p, a, params[i]!.type, "passing") : defaultPromote(p, a),
    );
  }
  if (isRecord(fnType.ret) && !fnType.ret.complete) {
    p.error(loc, `calling '${name}' with incomplete return type '${show(fnType.ret)}'`);
  }
  return { k: "call", callee: target, fnType, args: converted, type: fnType.ret, loc };
}

// ---- the grammar ----

function parseConditional(p: Parser): Expr {
  const c = parseBinary(p, 1);
  if (!p.at("?")) return c;
  const loc = p.next().loc;
  p.enter();
  try {
    const cond = toCondition(p, c);
    const t = parseExpr(p);
    p.expect(":");
    const f = parseConditional(p);
    return makeConditional(p, cond, t, f, loc);
  } finally {
    p.leave();
  }
}

function parseBinary(p: Parser, minPrec: number): Expr {
  let l = parseCast(p);
  const depth = p.depth;
  let chain = 0;
  try {
    for (;;) {
      const t = p.tok;
      if (t.kind !== "punct") return l;
      const prec = binaryPrecedence(t.text);
      if (prec === 0 || prec < minPrec) return l;
      p.pos++;
      if (++chain % CHAIN_PER_LEVEL === 0) p.enter();
      const r = parseBinary(p, prec + 1);
      l = makeBinary(p, t.text, l, r, t.loc);
    }
  } finally {
    p.depth = depth;
  }
}

function parseCast(p: Parser): Expr {
  p.enter();
  try {
    const t = p.tok;
    if (t.kind === "punct" && t.text === "(" && isTypeStart(p, p.peekAt(1))) {
      p.pos++;
      const tn = parseTypeName(p);
      p.expect(")");
      if (p.at("{")) return parsePostfixOps(p, parseCompoundLiteral(p, tn.type, tn.isConst, t.loc));
      return makeCast(p, parseCast(p), tn.type, t.loc);
    }
    return parseUnary(p);
  } finally {
    p.leave();
  }
}

function parseCompoundLiteral(p: Parser, type: Type, isConstType: boolean, loc: Loc): Expr {
  if (type.kind === "function" || type.kind === "void") {
    p.fatal(loc, "compound literal has invalid type");
  }
  if (!p.fn) {
    const v = p.newInternalGlobal(".compound", type, loc);
    const { init, type: complete } = parseInitializer(p, type, true);
    v.type = complete;
    v.init = init;
    v.uses++;
    if (isConstType) p.constVars.add(v);
    p.chargeStatic(v);
    return { k: "var", v, type: complete, loc };
  }
  const v = p.newLocal(".compound", type, loc);
  v.name = `.compound${v.id}`;
  const { init, type: complete } = parseInitializer(p, type, false);
  v.type = complete;
  v.uses++;
  if (isConstType) p.constVars.add(v);
  return { k: "compound", v, init, type: complete, loc };
}

function parseUnary(p: Parser): Expr {
  const t = p.tok;
  const loc = t.loc;
  if (t.kind === "punct") {
    switch (t.text) {
      case "&":
        p.pos++;
        return addressOf(p, parseCast(p), loc);
      case "*":
        p.pos++;
        return makeDeref(p, parseCast(p), loc);
      case "-":
      case "+":
      case "~":
      case "!":
        p.pos++;
        return makeUnary(p, t.text, parseCast(p), loc);
      case "++":
      case "--":
        p.pos++;
        return makeIncDec(p, t.text === "++" ? "+" : "-", parseCast(p), true, loc);
    }
  } else if (t.kind === "ident") {
    switch (t.text) {
      case "sizeof":
      case "_Alignof":
      case "__alignof__": {
        p.pos++;
        const operandLoc = p.at("(") ? p.peekAt(1).loc : p.tok.loc;
        const type = parseSizeofOperand(p);
        const isSize = t.text === "sizeof";
        if (type.kind === "function") {
          p.error(operandLoc, `invalid application of '${t.text}' to a function type`);
        } else if (
          (isRecord(type) && !type.complete) ||
          (type.kind === "array" && type.length === undefined)
        ) {
          p.error(
            operandLoc,
            `invalid application of '${t.text}' to incomplete type '${show(type)}'`,
          );
        }
        return mkInt(BigInt(isSize ? sizeOf(type) : alignOf(type)), sizeType, loc);
      }
      case "__extension__":
        p.pos++;
        return parseCast(p);
    }
  }
  return parsePostfixOps(p, parsePrimary(p));
}

/** The type measured by sizeof/_Alignof: `(type-name)` or a unary expression (not evaluated). */
function parseSizeofOperand(p: Parser): Type {
  if (p.at("(") && isTypeStart(p, p.peekAt(1))) {
    const lparen = p.next();
    const tn = parseTypeName(p);
    p.expect(")");
    if (!p.at("{")) return tn.type;
    return parsePostfixOps(p, parseCompoundLiteral(p, tn.type, tn.isConst, lparen.loc)).type;
  }
  p.enter();
  try {
    return parseUnary(p).type;
  } finally {
    p.leave();
  }
}

function parsePostfixOps(p: Parser, e: Expr): Expr {
  const depth = p.depth;
  let chain = 0;
  try {
    for (;;) {
      const t = p.tok;
      if (t.kind !== "punct") return e;
      switch (t.text) {
        case "[": {
          p.pos++;
          const i = parseExpr(p);
          p.expect("]");
          e = subscript(p, e, i, t.loc);
          break;
        }
        case "(": {
          p.pos++;
          const args: Expr[] = [];
          if (!p.at(")")) {
            do args.push(parseAssign(p));
            while (p.eat(","));
          }
          p.expect(")");
          e = makeCall(p, e, args, t.loc);
          break;
        }
        case ".":
          p.pos++;
          e = memberAccess(p, e, t.loc);
          break;
        case "->": {
          p.pos++;
          const ptr = val(p, e);
          if (ptr.type.kind !== "pointer" || !isRecord(ptr.type.to)) {
            p.fatal(t.loc, `invalid type argument of '->' (have '${show(ptr.type)}')`);
          }
          e = memberAccess(p, { k: "deref", ptr, type: ptr.type.to, loc: t.loc }, t.loc);
          break;
        }
        case "++":
        case "--":
          p.pos++;
          e = makeIncDec(p, t.text === "++" ? "+" : "-", e, false, t.loc);
          break;
        default:
          return e;
      }
      if (++chain % CHAIN_PER_LEVEL === 0) p.enter();
    }
  } finally {
    p.depth = depth;
  }
}

function parsePrimary(p: Parser): Expr {
  const t = p.tok;
  const loc = t.loc;
  switch (t.kind) {
    case "num": {
      p.pos++;
      const n = parseNumber(t.text);
      if (n.kind === "error") {
        p.error(loc, n.message);
        return mkInt(0n, intType, loc);
      }
      if (n.kind === "float") return mkFloat(n.value, n.type, loc);
      return { k: "int", value: n.value, type: n.type, loc };
    }
    case "char":
      p.pos++;
      return mkInt(BigInt(t.value ?? 0), intType, loc);
    case "str": {
      const v = p.stringLiteral(readStringLiteral(p), loc);
      v.uses++;
      return { k: "var", v, type: v.type, loc };
    }
    case "punct":
      if (t.text === "(") {
        p.pos++;
        if (p.at("{")) p.fatal(loc, "statement expressions are not supported");
        const e = parseExpr(p);
        p.expect(")");
        return e;
      }
      break;
    case "ident":
      return parseIdentifier(p);
    case "eof":
      break;
  }
  p.fatal(loc, `expected expression ${p.describeHere()}`);
}

/** Adjacent string literals concatenated (the preprocessor usually did it already). */
export function readStringLiteral(p: Parser): Uint8Array {
  const first = p.next();
  let bytes = first.bytes ?? new Uint8Array(0);
  while (p.tok.kind === "str") {
    const more = p.next().bytes ?? new Uint8Array(0);
    const joined = new Uint8Array(bytes.length + more.length);
    joined.set(bytes);
    joined.set(more, bytes.length);
    bytes = joined;
  }
  if (bytes.length > p.limits.maxStringBytes) {
    p.fatal(first.loc, `string literal is too long (limit ${p.limits.maxStringBytes} bytes)`);
  }
  return bytes;
}

function parseIdentifier(p: Parser): Expr {
  const t = p.next();
  const loc = t.loc;
  const name = t.text;
  const entry = p.lookup(name);
  if (entry === undefined) {
    if (isKeyword(name)) p.fatal(loc, `expected expression before '${name}'`);
    if (name === "__func__" || name === "__FUNCTION__") {
      const fname = new TextEncoder().encode(p.fn?.name ?? "");
      const v = p.stringLiteral(fname, loc);
      v.uses++;
      return { k: "var", v, type: v.type, loc };
    }
    if (name === "true" || name === "false") return mkInt(name === "true" ? 1n : 0n, intType, loc);
    if (p.at("(")) {
      p.error(loc, `implicit declaration of function '${name}'`);
      skipArguments(p);
      return mkInt(0n, intType, loc);
    }
    // Reported once per function; later uses see an `int` stand-in, which avoids cascades.
    const seen = p.fn?.undeclared;
    let stand = seen?.get(name);
    if (!stand) {
      p.error(loc, `use of undeclared identifier '${name}'`);
      stand = p.newVar(name, intType, "local", "none", loc);
      seen?.set(name, stand);
    }
    return { k: "var", v: stand, type: intType, loc };
  }
  if (entry.k === "enum") return mkInt(entry.value, intType, loc);
  if (entry.k === "typedef") p.fatal(loc, `unexpected type name '${name}': expected expression`);
  const v = entry.v;
  v.uses++;
  return { k: "var", v, type: v.type, loc };
}

/** Skips a parenthesized argument list after an error about its callee. */
function skipArguments(p: Parser): void {
  let depth = 0;
  for (;;) {
    const t = p.tok;
    if (t.kind === "eof") return;
    if (t.kind === "punct") {
      if (t.text === "(") depth++;
      else if (t.text === ")" && --depth === 0) {
        p.pos++;
        return;
      } else if ((t.text === ";" || t.text === "{" || t.text === "}") && depth > 0) return;
    }
    p.pos++;
  }
}
