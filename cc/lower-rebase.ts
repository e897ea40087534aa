// Finds the pointer locals that a loop indexes at negative constant offsets (`up[x - 1]`,
// `up[x]`, `up[x + 1]`) and never changes. Lowering then computes `up - 1` once before the loop
// and addresses all three through it as `(up - 1) + x` with memarg offsets 0, 1 and 2: wasm
// offsets cannot be negative, so otherwise every access computes its own `x - 1` and sum, and V8
// spends an instruction (and a register) on each.

import type { Expr, Stmt, Var } from "./ast.ts";
import { isPointer, valType } from "./types.ts";

/** An index split into a variable part (or none) and a constant byte offset. */
export interface SplitIndex {
  index: Expr | undefined;
  offset: number;
}

const MAX_OFFSET = 1 << 20;

/**
 * Splits the byte index of `p + index` (already scaled by the element size) into `x * k` and a
 * constant: `c`, `x + c`, `x - c`, `(x + c) * k`, `(x - c) * k`; anything else is `index + 0`.
 */
export function splitSignedIndex(e: Expr): SplitIndex {
  if (e.k === "int") return { index: undefined, offset: Number(BigInt.asIntN(32, e.value)) };
  if (valType(e.type) !== "i32") return { index: e, offset: 0 };
  const plain = addend(e);
  if (plain) return plain;
  if (e.k === "binary" && e.op === "*" && e.r.k === "int") {
    const k = Number(BigInt.asIntN(32, e.r.value));
    const inner = addend(e.l);
    if (inner && k > 0 && Math.abs(inner.offset * k) <= MAX_OFFSET) {
      return { index: { ...e, l: inner.index! }, offset: inner.offset * k };
    }
  }
  return { index: e, offset: 0 };
}

/** `x + c` / `x - c` with a small constant c */
function addend(e: Expr): { index: Expr; offset: number } | undefined {
  if (e.k !== "binary" || (e.op !== "+" && e.op !== "-") || e.r.k !== "int") return undefined;
  const c = Number(BigInt.asIntN(32, e.r.value));
  if (Math.abs(c) > MAX_OFFSET) return undefined;
  return { index: e.l, offset: e.op === "+" ? c : -c };
}

/**
 * Pointer locals (kept in wasm locals: `isLocal`) indexed below their own address somewhere in
 * the loop and never assigned in it, each with the lowest byte offset used.
 */
export function negativelyIndexedPointers(
  parts: (Expr | Stmt | undefined)[],
  isLocal: (v: Var) => boolean,
): Map<Var, number> {
  const lowest = new Map<Var, number>();
  const written = new Set<Var>();

  const expr = (e: Expr): void => {
    switch (e.k) {
      case "int":
      case "float":
      case "var":
        return;
      case "assign":
        if (e.lv.k === "var") written.add(e.lv.v);
        else expr(e.lv);
        expr(e.value);
        return;
      case "call":
        expr(e.callee);
        for (const a of e.args) expr(a);
        return;
      case "deref":
        expr(e.ptr);
        return;
      case "member":
        expr(e.base);
        return;
      case "addr":
        expr(e.lv);
        return;
      case "unary":
      case "cast":
        expr(e.arg);
        return;
      case "binary":
        if (e.op === "+" && e.l.k === "var" && isPointer(e.type) && isPointer(e.l.type)) {
          const v = e.l.v;
          if (isLocal(v)) {
            const { offset } = splitSignedIndex(e.r);
            const known = lowest.get(v);
            if (known === undefined || offset < known) lowest.set(v, offset);
          }
        }
        expr(e.l);
        expr(e.r);
        return;
      case "logical":
      case "comma":
        expr(e.l);
        expr(e.r);
        return;
      case "cond":
        expr(e.c);
        expr(e.t);
        expr(e.f);
        return;
      case "compound":
        for (const i of e.init.items) if ("expr" in i) expr(i.expr);
        return;
    }
  };

  const stmt = (s: Stmt): void => {
    switch (s.k) {
      case "expr":
        expr(s.expr);
        return;
      case "decl":
        written.add(s.v);
        for (const i of s.init?.items ?? []) if ("expr" in i) expr(i.expr);
        return;
      case "block":
        for (const b of s.body) stmt(b);
        return;
      case "if":
        expr(s.cond);
        stmt(s.then);
        if (s.else) stmt(s.else);
        return;
      case "while":
      case "do":
      case "switch":
        expr(s.cond);
        stmt(s.body);
        return;
      case "for":
        if (s.init) stmt(s.init);
        if (s.cond) expr(s.cond);
        if (s.step) expr(s.step);
        stmt(s.body);
        return;
      case "case":
      case "label":
        stmt(s.body);
        return;
      case "return":
        if (s.value) expr(s.value);
        return;
      default:
        return;
    }
  };

  for (const p of parts) {
    if (!p) continue;
    if ("type" in p) expr(p);
    else stmt(p);
  }
  for (const [v, offset] of lowest) if (offset >= 0 || written.has(v)) lowest.delete(v);
  return lowest;
}
