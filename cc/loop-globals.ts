// Finds global scalars that a loop reads but can never change: not written in the loop (nor
// in functions inlined into it), address never taken, and no call that could run other code.
// Lowering loads them into locals once before the loop. Without this, every iteration reloads
// e.g. an image pointer from memory, because V8 cannot prove stores through other pointers do
// not alias it (in C they cannot: the global's address is never taken).

import {
  type AstNode,
  type Call,
  type Expr,
  type FunctionDef,
  forEachChild,
  type Stmt,
  type Var,
} from "./ast.ts";
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
      walk(e.callee, false);
    } else if (!isIntrinsic(v)) {
      const def = inlineDef(v);
      if (!def) scan.opaqueCall = true;
      else if (!visitedDefs.has(def)) {
        visitedDefs.add(def);
        walk(def.body, false);
      }
    }
    for (const a of e.args) walk(a, true);
  };

  /** `collect`: record reads (only the loop's own code; inlined bodies only matter for writes). */
  const walk = (n: AstNode, collect: boolean): void => {
    if (scan.opaqueCall) return;
    switch (n.k) {
      case "var":
        if (collect && isPromotable(n.v)) scan.reads.add(n.v);
        return;
      case "assign":
        if (n.lv.k === "var") {
          if (n.lv.v.kind === "global") scan.writes.add(n.lv.v);
          walk(n.value, collect);
          return;
        }
        break;
      case "call":
        call(n);
        return;
      case "addr":
        if (n.lv.k === "var") return;
        break;
    }
    forEachChild(n, collect ? collecting : writesOnly);
  };
  const collecting = (n: AstNode) => walk(n, true);
  const writesOnly = (n: AstNode) => walk(n, false);

  for (const p of parts) {
    if (!p) continue;
    walk(p, true);
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
