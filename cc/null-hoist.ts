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
  const e = pointerRoot(p);
  if (e.k === "assign" && e.lv.k === "var" && isSelfDerived(e.lv.v, e.value)) return e.lv.v;
  return e.k === "var" && e.v.kind !== "function" ? e.v : undefined;
}

/** `p` without pointer arithmetic and no-op casts: the pointer it offsets. */
export function pointerRoot(p: Expr): Expr {
  let e = stripNoOpCasts(p);
  while (e.k === "binary" && (e.op === "+" || e.op === "-") && isPointer(e.type)) {
    e = stripNoOpCasts(e.l);
  }
  return e;
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

/**
 * The pointer variable `value` is computed from by arithmetic or as the address of an element
 * or member (`w + i`, `&w[i]`, `&w->f`), if any: it is outside the NULL page if `w` is.
 */
export function originVar(value: Expr): Var | undefined {
  let e = stripNoOpCasts(value);
  for (;;) {
    if (e.k === "binary" && (e.op === "+" || e.op === "-") && isPointer(e.type)) {
      e = stripNoOpCasts(e.l);
    } else if (e.k === "addr") {
      let lv = e.lv;
      while (lv.k === "member") lv = lv.base;
      if (lv.k !== "deref") return undefined;
      e = stripNoOpCasts(lv.ptr);
    } else {
      return e.k === "var" && isPointer(e.type) ? e.v : undefined;
    }
  }
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
 * it could branch, call code that may not return or print, or trap otherwise (a division), and
 * before it assigns them. Checking them before the loop (once it is known to run) checks the
 * value accessed and faults no earlier than the access.
 */
export function firstIterationBases(body: Stmt, safeCall: (c: Call) => boolean): Set<Var> {
  const scan: BaseScan = { out: new Set(), assigned: new Set(), origin: new Map() };
  const expr = (e: Expr): boolean => {
    if (stops(e, safeCall)) return false;
    collect(e, scan);
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
        {
          const item = s.init?.items[0];
          assigned(
            scan,
            s.v,
            item && "expr" in item && isPointer(s.v.type) ? item.expr : undefined,
          );
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
  return scan.out;
}

interface BaseScan {
  out: Set<Var>;
  /** Variables assigned so far (in evaluation order): later accesses see another value. */
  assigned: Set<Var>;
  /** The pointer each assigned variable was derived from (`i = &code[pc]`: code). */
  origin: Map<Var, Var | undefined>;
}

/** Records an assignment `v = value` met in evaluation order. */
function assigned(scan: BaseScan, v: Var, value: Expr | undefined): void {
  scan.assigned.add(v);
  scan.origin.set(v, value && originVar(value));
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

/**
 * Adds the bases of the accesses `e` certainly makes (not those under `&&`, `?:`, `&`), in
 * evaluation order, while their variables still hold the value they had before.
 */
function collect(e: Expr, scan: BaseScan): void {
  switch (e.k) {
    case "deref": {
      // `*p++` reads p before the increment: its base is checked before it moves. A pointer
      // the body derived from another (`i = &code[pc++]; i->op`) is checked through that one.
      const v = baseVar(e.ptr);
      const o = v && scan.assigned.has(v) ? scan.origin.get(v) : v;
      if (o && !scan.assigned.has(o)) scan.out.add(o);
      collect(e.ptr, scan);
      return;
    }
    case "assign":
      if (e.lv.k === "var") {
        collect(e.value, scan);
        assigned(scan, e.lv.v, e.value);
        return;
      }
      break;
    case "addr":
      addressOnly(e.lv, scan);
      return;
    case "logical":
      collect(e.l, scan);
      assignedIn(e.r, scan);
      return;
    case "cond":
      collect(e.c, scan);
      assignedIn(e.t, scan);
      assignedIn(e.f, scan);
      return;
    case "call":
      // A safe call: its arguments are evaluated; an inlined body's accesses use its own
      // parameters.
      for (const a of e.args) collect(a, scan);
      return;
  }
  forEachChild(e, (n) => collect(n as Expr, scan));
}

/** Marks the variables a conditionally evaluated `e` may assign. */
function assignedIn(e: Expr, scan: BaseScan): void {
  const visit = (n: AstNode): void => {
    if (n.k === "assign" && n.lv.k === "var") assigned(scan, n.lv.v, undefined);
    forEachChild(n, visit);
  };
  visit(e);
}

/** The accesses made computing the address of lvalue `lv` (its base is not dereferenced). */
function addressOnly(lv: Expr, scan: BaseScan): void {
  if (lv.k === "deref") collect(lv.ptr, scan);
  else if (lv.k === "member") addressOnly(lv.base, scan);
  else if (lv.k !== "var") collect(lv, scan);
}
