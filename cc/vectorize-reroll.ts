// Re-rolling of a hand-unrolled loop body for the vectoriser (vectorize-plan.ts). A body of
// `copies` identical groups of statements, where group m accesses memory through each
// induction pointer `m * shift` bytes further than group 0 and otherwise computes the same
// thing (its own temporaries standing for group 0's), runs the same statements in the same
// order as `copies` iterations of group 0 with every pointer advancing by `shift` per
// iteration: so group 0 alone is the body of the re-rolled loop. E.g. the four pixels of
//   q[0] = f(p[0], p[1], p[2]); ... q[3] = f(p[9], p[10], p[11]); p += 12; q += 4;
// are one pixel per iteration with p advancing by 3 and q by 1. The groups may also be
// interleaved statement by statement (`a = f(p[0..2]); b = f(p[3..5]); q[0] = a; q[1] = b;`):
// the vector lanes reorder the groups' statements anyway, which the vector path's conditions
// make safe (no memory shared between lanes, each group using only its own temporaries).

import type { Expr, Initializer, Stmt, Var } from "./ast.ts";
import type { Type } from "./types.ts";

/**
 * Group 0 of `stmts` (which exclude the pointer increments) if the statements are `copies`
 * shifted copies of it, else undefined. `shift` is the byte advance per re-rolled iteration
 * of each induction pointer; a memory access through any other base refuses.
 */
export function reroll(stmts: Stmt[], copies: number, shift: Map<Var, number>): Stmt[] | undefined {
  if (copies < 2 || stmts.length % copies !== 0) return undefined;
  const n = stmts.length / copies;
  const declared = new Set<Var>();
  for (const s of stmts) if (s.k === "decl") declared.add(s.v);
  // statement j of group m: in consecutive blocks, or interleaved
  const layouts = [(m: number, j: number) => m * n + j, (m: number, j: number) => j * copies + m];
  for (const at of layouts) {
    const first = Array.from({ length: n }, (_, j) => stmts[at(0, j)]!);
    let ok = true;
    for (let m = 1; m < copies && ok; m++) {
      const same = new Comparison(shift, m, declared);
      for (let j = 0; j < n && ok; j++) ok = same.stmt(first[j]!, stmts[at(m, j)]!);
    }
    if (ok) return first;
  }
  return undefined;
}

/** Structural equality of group 0 with group m. */
class Comparison {
  /** Group m's temporaries -> group 0's. */
  private readonly renamed = new Map<Var, Var>();

  constructor(
    private readonly shift: Map<Var, number>,
    private readonly m: number,
    private readonly declared: Set<Var>,
  ) {}

  stmt(a: Stmt, b: Stmt): boolean {
    if (a.k === "decl" && b.k === "decl") {
      if (!sameType(a.v.type, b.v.type) || a.v.addressTaken || b.v.addressTaken) return false;
      if (!this.init(a.init, b.init)) return false;
      this.renamed.set(b.v, a.v);
      return true;
    }
    if (a.k === "expr" && b.k === "expr") return this.expr(a.expr, b.expr);
    return false;
  }

  private init(a: Initializer | undefined, b: Initializer | undefined): boolean {
    if (!a || !b) return a === b;
    if (a.items.length !== b.items.length) return false;
    return a.items.every((x, i) => {
      const y = b.items[i]!;
      if (!("expr" in x) || !("expr" in y) || x.offset !== y.offset) return false;
      return this.expr(x.expr, y.expr);
    });
  }

  private variable(a: Var, b: Var): boolean {
    if (this.declared.has(a) || this.declared.has(b)) return this.renamed.get(b) === a;
    return a === b;
  }

  expr(a: Expr, b: Expr): boolean {
    if (a.k !== b.k || !sameType(a.type, b.type)) return false;
    switch (a.k) {
      case "int":
        return a.value === (b as typeof a).value;
      case "var":
        return this.variable(a.v, (b as typeof a).v);
      case "deref": {
        const x = baseOffset(a.ptr);
        const y = baseOffset((b as typeof a).ptr);
        if (!x || !y || x.base !== y.base) return false;
        const by = this.shift.get(x.base);
        return by !== undefined && y.offset === x.offset + BigInt(by * this.m);
      }
      case "cast":
        return this.expr(a.arg, (b as typeof a).arg);
      case "unary":
        return a.op === (b as typeof a).op && this.expr(a.arg, (b as typeof a).arg);
      case "binary":
      case "logical": {
        const y = b as typeof a;
        return a.op === y.op && this.expr(a.l, y.l) && this.expr(a.r, y.r);
      }
      case "cond": {
        const y = b as typeof a;
        return this.expr(a.c, y.c) && this.expr(a.t, y.t) && this.expr(a.f, y.f);
      }
      case "assign": {
        const y = b as typeof a;
        return this.expr(a.lv, y.lv) && this.expr(a.value, y.value);
      }
      case "call": {
        const y = b as typeof a;
        if (a.callee.k !== "var" || y.callee.k !== "var" || a.callee.v !== y.callee.v) return false;
        return a.args.length === y.args.length && a.args.every((x, i) => this.expr(x, y.args[i]!));
      }
      default:
        return false; // nothing else is vectorised
    }
  }
}

/** `v`, `v + c` or `v - c` with a constant byte offset c. */
function baseOffset(p: Expr): { base: Var; offset: bigint } | undefined {
  if (p.k === "var") return { base: p.v, offset: 0n };
  if (p.k !== "binary" || (p.op !== "+" && p.op !== "-") || p.l.k !== "var" || p.r.k !== "int") {
    return undefined;
  }
  const c = BigInt.asIntN(32, p.r.value);
  return { base: p.l.v, offset: p.op === "+" ? c : -c };
}

/** The same scalar type (types of expressions need not be the same object). */
function sameType(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind === "int" && b.kind === "int") {
    return a.name === b.name && a.size === b.size && a.signed === b.signed;
  }
  if (a.kind === "pointer" && b.kind === "pointer") return sameType(a.to, b.to);
  return false;
}
