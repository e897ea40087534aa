// Typed expression nodes built from parsed operands: operators with C's operand rules (pointer
// arithmetic, comparisons, usual arithmetic conversions, constant folding), assignment and
// ++/-- desugared, casts, member access, calls.

import { type AstNode, type BinaryOp, type Call, type Expr, forEachChild } from "./ast.ts";
import {
  castTo,
  checkAssignable,
  convertAssign,
  defaultPromote,
  isBitField,
  isConstLvalue,
  isLvalue,
  isNullPointerConstant,
  pointersCompatible,
  promoteAll,
  stableLvalue,
  toCondition,
  val,
} from "./conversions.ts";
import type { Loc } from "./diagnostics.ts";
import { show } from "./expressions.ts";
import { foldBinary, foldUnary, isConst, isZero, mkInt } from "./fold.ts";
import type { Parser } from "./parse.ts";
import {
  commonType,
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
  type Type,
  voidType,
} from "./types.ts";

// ---- node builders ----

export function makeAssign(p: Parser, lv: Expr, value: Expr, loc: Loc): Expr {
  if (!checkAssignable(p, lv, loc, "assignment")) return lv;
  if (lv.k === "var") lv.v.uses--; // a store, not a read
  const v = convertAssign(p, value, lv.type, "assigning to", false, loc);
  return { k: "assign", lv, value: v, type: lv.type, loc };
}

/** `lv op= rhs` as `lv = (T)(lv op rhs)`, evaluating lv's address once. */
export function compoundAssign(p: Parser, op: BinaryOp, lv: Expr, rhs: Expr, loc: Loc): Expr {
  const stable = stableLvalue(p, lv, loc);
  const target = stable.lv;
  let value: Expr;
  rhs = val(p, rhs);
  // gcc and clang read the lvalue after a call on the right (`x += f()` where f changes x):
  // the right side goes to a temporary first.
  let callFirst: Expr | undefined;
  if (containsCall(rhs)) {
    const tmp = p.newTemp(rhs.type, loc);
    tmp.uses = 1;
    const ref: Expr = { k: "var", v: tmp, type: rhs.type, loc };
    callFirst = { k: "assign", lv: ref, value: rhs, type: rhs.type, loc };
    rhs = ref;
  }
  if ((op === "+" || op === "-") && target.type.kind === "pointer") {
    if (!isInteger(rhs.type)) {
      invalidOperands(p, op, target, rhs, loc);
      return target;
    }
    value = pointerOffset(p, op, target, rhs, loc);
  } else {
    value = castTo(makeBinary(p, op, target, rhs, loc), target.type);
  }
  let result: Expr = { k: "assign", lv: target, value, type: target.type, loc };
  if (callFirst) result = { k: "comma", l: callFirst, r: result, type: result.type, loc };
  if (!stable.setup) return result;
  return { k: "comma", l: stable.setup, r: result, type: result.type, loc };
}

/** Whether evaluating `n` may call a function (which could change any lvalue in memory). */
function containsCall(n: AstNode): boolean {
  return n.k === "call" || forEachChild(n, (c) => (containsCall(c) ? true : undefined)) === true;
}

export function makeIncDec(p: Parser, op: "+" | "-", e: Expr, prefix: boolean, loc: Loc): Expr {
  const what = op === "+" ? "increment" : "decrement";
  if (!checkAssignable(p, e, loc, what)) return e;
  if (!isScalar(e.type)) {
    p.error(loc, `wrong type argument to ${what}`);
    return e;
  }
  const one = mkInt(1n, intType, loc);
  if (prefix) return compoundAssign(p, op, e, one, loc);
  const t = e.type;
  const plain =
    t.kind === "pointer" || t.kind === "enum" || (t.kind === "int" && t.name !== "_Bool");
  if (plain && !isBitField(e)) {
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
  // float, _Bool and bit-fields (the store truncates): keep the old value in a temporary.
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
    if (!pointersCompatible(p, lt, rt))
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

export function makeUnary(p: Parser, op: string, e: Expr, loc: Loc): Expr {
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
      if (e.member.bits) {
        p.error(loc, `cannot take address of bit-field '${e.member.name}'`);
        return mkInt(0n, pointerTo(e.type), loc);
      }
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

export function makeDeref(p: Parser, e: Expr, loc: Loc): Expr {
  e = val(p, e);
  if (e.type.kind !== "pointer") {
    p.fatal(loc, `indirection requires pointer operand ('${show(e.type)}' invalid)`);
  }
  return { k: "deref", ptr: e, type: e.type.to, loc };
}

/** GNU `x ?: y`: `(tmp = x) ? tmp : y`. A constant x needs no temporary, nor does x outside a
 *  function, where only a constant (an address, say) is valid and evaluating it twice is free. */
export function makeElvis(p: Parser, x: Expr, f: Expr, loc: Loc): Expr {
  x = val(p, x);
  if (isConst(x) || !isScalar(x.type) || !p.fn)
    return makeConditional(p, toCondition(p, x), x, f, loc);
  const tmp = p.newTemp(x.type, loc);
  tmp.uses = 2;
  const ref: Expr = { k: "var", v: tmp, type: x.type, loc };
  const save: Expr = { k: "assign", lv: ref, value: x, type: x.type, loc };
  const cond: Expr = { k: "comma", l: save, r: ref, type: x.type, loc };
  return makeConditional(p, cond, ref, f, loc);
}

export function makeConditional(p: Parser, c: Expr, t: Expr, f: Expr, loc: Loc): Expr {
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

export function makeCast(p: Parser, e: Expr, to: Type, loc: Loc): Expr {
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

export function memberAccess(p: Parser, base: Expr, loc: Loc): Expr {
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

export function subscript(p: Parser, a: Expr, i: Expr, loc: Loc): Expr {
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

export function makeCall(p: Parser, callee: Expr, args: Expr[], loc: Loc): Expr {
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
    const promoted = promoteAll(p, args);
    if (!direct && promoted.length > 0) {
      // Through an `int (*)()` pointer: the promoted arguments are the call's signature (as
      // in C, a callee whose parameters differ after promotion is undefined behaviour; here
      // the indirect call's signature check traps).
      fnType = {
        kind: "function",
        ret: fnType.ret,
        params: promoted.map((a) => ({ name: undefined, type: a.type })),
        variadic: false,
      };
    }
    const call: Call = { k: "call", callee: target, fnType, args: promoted, type: fnType.ret, loc };
    if (direct && args.length > 0) p.unprototypedCalls.push({ call, v: direct, loc: callee.loc });
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
