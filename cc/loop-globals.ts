// Finds global scalars that a loop reads but can never change: not written in the loop (nor
// in functions inlined into it), address never taken, and no call that could run other code.
// Lowering loads them into locals once before the loop. Without this, every iteration reloads
// e.g. an image pointer from memory, because V8 cannot prove stores through other pointers do
// not alias it (in C they cannot: the global's address is never taken).

import type { Call, Expr, FunctionDef, Stmt, Var } from "./ast.ts";
import { directCallee } from "./lower-analysis.ts";

export interface LoopScan {
  reads: Set<Var>;
  writes: Set<Var>;
  /** A call that is not an intrinsic or an inlined function: anything may change. */
  opaqueCall: boolean;
}

/** Promotable globals read by a loop (its condition, step and body). */
export function loopInvariantGlobals(
  parts: (Expr | Stmt | undefined)[],
  isIntrinsic: (v: Var) => boolean,
  inlineDef: (v: Var) => FunctionDef | undefined,
): Var[] {
  const scan: LoopScan = { reads: new Set(), writes: new Set(), opaqueCall: false };
  const visitedDefs = new Set<FunctionDef>();

  const call = (e: Call) => {
    const v = directCallee(e.callee);
    if (!v) {
      scan.opaqueCall = true;
      expr(e.callee, false);
    } else if (!isIntrinsic(v)) {
      const def = inlineDef(v);
      if (!def) scan.opaqueCall = true;
      else if (!visitedDefs.has(def)) {
        visitedDefs.add(def);
        stmt(def.body, false);
      }
    }
    for (const a of e.args) expr(a, true);
  };

  /** `collect`: record reads (only the loop's own code; inlined bodies only matter for writes). */
  const expr = (e: Expr, collect: boolean): void => {
    if (scan.opaqueCall) return;
    switch (e.k) {
      case "int":
      case "float":
        return;
      case "var":
        if (collect && isPromotable(e.v)) scan.reads.add(e.v);
        return;
      case "assign":
        if (e.lv.k === "var") {
          if (e.lv.v.kind === "global") scan.writes.add(e.lv.v);
        } else {
          expr(e.lv, collect);
        }
        expr(e.value, collect);
        return;
      case "call":
        call(e);
        return;
      case "deref":
        expr(e.ptr, collect);
        return;
      case "member":
        expr(e.base, collect);
        return;
      case "addr":
        if (e.lv.k !== "var") expr(e.lv, collect);
        return;
      case "unary":
      case "cast":
        expr(e.arg, collect);
        return;
      case "binary":
      case "logical":
      case "comma":
        expr(e.l, collect);
        expr(e.r, collect);
        return;
      case "cond":
        expr(e.c, collect);
        expr(e.t, collect);
        expr(e.f, collect);
        return;
      case "compound":
        for (const i of e.init.items) if ("expr" in i) expr(i.expr, collect);
        return;
    }
  };

  const stmt = (s: Stmt, collect: boolean): void => {
    if (scan.opaqueCall) return;
    switch (s.k) {
      case "expr":
        expr(s.expr, collect);
        return;
      case "decl":
        for (const i of s.init?.items ?? []) if ("expr" in i) expr(i.expr, collect);
        return;
      case "block":
        for (const b of s.body) stmt(b, collect);
        return;
      case "if":
        expr(s.cond, collect);
        stmt(s.then, collect);
        if (s.else) stmt(s.else, collect);
        return;
      case "while":
      case "do":
      case "switch":
        expr(s.cond, collect);
        stmt(s.body, collect);
        return;
      case "for":
        if (s.init) stmt(s.init, collect);
        if (s.cond) expr(s.cond, collect);
        if (s.step) expr(s.step, collect);
        stmt(s.body, collect);
        return;
      case "case":
      case "label":
        stmt(s.body, collect);
        return;
      case "return":
        if (s.value) expr(s.value, collect);
        return;
      default:
        return;
    }
  };

  for (const p of parts) {
    if (!p) continue;
    if ("type" in p) expr(p, true);
    else stmt(p, true);
  }
  if (scan.opaqueCall) return [];
  const out: Var[] = [];
  for (const v of scan.reads) if (!scan.writes.has(v)) out.push(v);
  return out;
}

/** A scalar global whose only access is by name. */
function isPromotable(v: Var): boolean {
  if (v.kind !== "global" || v.addressTaken) return false;
  const k = v.type.kind;
  return k === "int" || k === "float" || k === "pointer" || k === "enum";
}
