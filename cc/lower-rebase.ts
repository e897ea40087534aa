// Finds the pointer locals that a loop indexes at negative constant offsets (`up[x - 1]`,
// `up[x]`, `up[x + 1]`) and never changes. Lowering then computes `up - 1` once before the loop
// and addresses all three through it as `(up - 1) + x` with memarg offsets 0, 1 and 2: wasm
// offsets cannot be negative, so otherwise every access computes its own `x - 1` and sum, and V8
// spends an instruction (and a register) on each.

import { type AstNode, type Expr, forEachChild, type Stmt, type Var } from "./ast.ts";
import { valType } from "./types.ts";

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

/** The constant part of a byte index, as splitSignedIndex computes it (without allocating). */
function indexOffset(e: Expr): number {
  if (e.k === "int") return Number(BigInt.asIntN(32, e.value));
  if (e.k !== "binary" || valType(e.type) !== "i32") return 0;
  if (e.op === "*" && e.r.k === "int") {
    const k = Number(BigInt.asIntN(32, e.r.value));
    const c = addendOffset(e.l);
    return k > 0 && Math.abs(c * k) <= MAX_OFFSET ? c * k : 0;
  }
  return addendOffset(e);
}

function addendOffset(e: Expr): number {
  if (e.k !== "binary" || (e.op !== "+" && e.op !== "-") || e.r.k !== "int") return 0;
  const c = Number(BigInt.asIntN(32, e.r.value));
  if (Math.abs(c) > MAX_OFFSET) return 0;
  return e.op === "+" ? c : -c;
}

interface Scan {
  isLocal: (v: Var) => boolean;
  lowest: Map<Var, number>;
  written: Set<Var>;
  /** `scan` bound to this state, made once: a closure per node cost measurably. */
  visit: (n: AstNode) => void;
}

/**
 * Pointer locals (kept in wasm locals: `isLocal`) indexed below their own address somewhere in
 * the loop and never assigned in it, each with the lowest byte offset used.
 */
export function negativelyIndexedPointers(
  parts: (Expr | Stmt | undefined)[],
  isLocal: (v: Var) => boolean,
): Map<Var, number> {
  const state: Scan = {
    isLocal,
    lowest: new Map(),
    written: new Set(),
    visit: (n) => scan(state, n),
  };
  for (const p of parts) if (p) scan(state, p);
  const { lowest, written } = state;
  for (const [v, offset] of lowest) if (offset >= 0 || written.has(v)) lowest.delete(v);
  return lowest;
}

function scan(state: Scan, n: AstNode): void {
  switch (n.k) {
    case "assign":
      if (n.lv.k === "var") {
        state.written.add(n.lv.v);
        scan(state, n.value);
        return;
      }
      break;
    case "binary":
      if (n.op === "+" && n.l.k === "var" && n.l.type.kind === "pointer" && state.isLocal(n.l.v)) {
        const offset = indexOffset(n.r);
        const known = state.lowest.get(n.l.v);
        if (known === undefined || offset < known) state.lowest.set(n.l.v, offset);
      }
      break;
    case "decl":
      state.written.add(n.v);
      break;
  }
  forEachChild(n, state.visit);
}
