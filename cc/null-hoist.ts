// What null-check elimination (null-checks.ts) needs to know of the AST: the base pointer of an
// access, which assignments keep a pointer outside the NULL page, which locals a loop assigns
// otherwise, and which pointers a loop's first iteration is sure to dereference before anything
// observable can happen (those are checked once before the loop instead of in every iteration).

import { type AstNode, type Call, type Expr, forEachChild, type Stmt, type Var } from "./ast.ts";
import { constInt } from "./lower-shapes.ts";
import { isFloat, isPointer, valType } from "./types.ts";

/** `e` without the casts that do not change an i32 (pointer to pointer, int to pointer, ...). */
export function stripNoOpCasts(e: Expr): Expr {
  while (e.k === "cast" && valType(e.type) === "i32" && valType(e.arg.type) === "i32") {
    if (!isPointer(e.type) && !isPointer(e.arg.type)) break;
    e = e.arg;
  }
  return e;
}

/**
 * The variable an access through pointer `p` is based on (`p` in `p + i`, `(T *)p`, `p++`),
 * if any.
 */
export function baseVar(p: Expr): Var | undefined {
  let e = stripNoOpCasts(p);
  while (e.k === "binary" && e.op === "+" && isPointer(e.type)) e = stripNoOpCasts(e.l);
  if (e.k === "assign" && e.lv.k === "var" && isSelfDerived(e.lv.v, e.value)) return e.lv.v;
  return e.k === "var" && e.v.kind !== "function" ? e.v : undefined;
}

/** An address that cannot be in the NULL page: of a variable, a compound literal, a string. */
export function isObjectAddress(e: Expr): boolean {
  e = stripNoOpCasts(e);
  while (e.k === "binary" && e.op === "+" && isPointer(e.type)) e = stripNoOpCasts(e.l);
  if (e.k !== "addr" || e.lv.type.kind === "function") return false;
  let lv = e.lv;
  while (lv.k === "member") lv = lv.base;
  return lv.k === "var" || lv.k === "compound";
}

/** `value` is pointer arithmetic on `v` itself (`v + i`, `v - i`) or `v`. */
export function isSelfDerived(v: Var, value: Expr): boolean {
  let e = stripNoOpCasts(value);
  while (e.k === "binary" && (e.op === "+" || e.op === "-") && isPointer(e.type)) {
    e = stripNoOpCasts(e.l);
  }
  return e.k === "var" && e.v === v;
}

/** An assignment to `v` that keeps it outside the NULL page if it was before. */
function keepsChecked(v: Var, value: Expr): boolean {
  return isPointer(v.type) && (isSelfDerived(v, value) || isObjectAddress(value));
}

/**
 * Variables a loop (its condition, step and body) assigns other than by pointer arithmetic on
 * themselves or an object's address: a check of them before the loop does not hold inside.
 */
export function loopClobbers(parts: (Expr | Stmt | undefined)[]): Set<Var> {
  const out = new Set<Var>();
  const visit = (n: AstNode): void => {
    if (n.k === "assign" && n.lv.k === "var" && !keepsChecked(n.lv.v, n.value)) out.add(n.lv.v);
    else if (n.k === "decl") out.add(n.v);
    forEachChild(n, visit);
  };
  for (const p of parts) if (p) visit(p);
  return out;
}

/**
 * The variables through which a loop body's first iteration certainly loads or stores before
 * it could branch, call code that may not return or print, or trap otherwise (a division).
 * Checking them before the loop (once it is known to run) faults no earlier than the access.
 */
export function firstIterationBases(body: Stmt, safeCall: (c: Call) => boolean): Set<Var> {
  const out = new Set<Var>();
  const expr = (e: Expr): boolean => {
    if (stops(e, safeCall)) return false;
    collect(e, out);
    return true;
  };
  const stmt = (s: Stmt): boolean => {
    switch (s.k) {
      case "expr":
        return expr(s.expr);
      case "decl":
        if (s.init) {
          for (const item of s.init.items) if ("expr" in item && !expr(item.expr)) return false;
        }
        return true;
      case "block":
        for (const x of s.body) if (!stmt(x)) return false;
        return true;
      case "label":
        return stmt(s.body);
      case "if":
      case "switch":
      case "while":
        expr(s.cond); // evaluated first, then the path forks
        return false;
      case "for":
        if (s.init && stmt(s.init) && s.cond) expr(s.cond);
        return false;
      default:
        return false;
    }
  };
  stmt(body);
  return out;
}

/** Whether evaluating `e` might not get to its end: a real call or a division that can trap. */
function stops(e: Expr, safeCall: (c: Call) => boolean): boolean {
  let found = false;
  const visit = (n: AstNode): void => {
    if (found) return;
    if (n.k === "call" && !safeCall(n)) found = true;
    else if (n.k === "binary" && (n.op === "/" || n.op === "%") && !isFloat(n.type)) {
      const d = constInt(n.r);
      if (d === undefined || d === 0n || d === -1n) found = true;
    }
    if (!found) forEachChild(n, visit);
  };
  visit(e);
  return found;
}

/** Adds the bases of the accesses `e` certainly makes (not those under `&&`, `?:`, `&`). */
function collect(e: Expr, out: Set<Var>): void {
  switch (e.k) {
    case "deref": {
      const v = baseVar(e.ptr);
      if (v) out.add(v);
      collect(e.ptr, out);
      return;
    }
    case "addr":
      addressOnly(e.lv, out);
      return;
    case "logical":
      collect(e.l, out);
      return;
    case "cond":
      collect(e.c, out);
      return;
    case "call":
      // A safe call: its arguments are evaluated; an inlined body's accesses use its own
      // parameters.
      for (const a of e.args) collect(a, out);
      return;
    default:
      forEachChild(e, (n) => collect(n as Expr, out));
  }
}

/** The accesses made computing the address of lvalue `lv` (its base is not dereferenced). */
function addressOnly(lv: Expr, out: Set<Var>): void {
  if (lv.k === "deref") collect(lv.ptr, out);
  else if (lv.k === "member") addressOnly(lv.base, out);
  else if (lv.k !== "var") collect(lv, out);
}
