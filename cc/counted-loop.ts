// Recognizes counted `for` loops (`for (...; i < n; i += k)` with `i` and `n` not written in
// the body) that always run to completion: no break, return or goto out of the body, and no
// calls except ones expanded inline that make no calls themselves (a host call could exit).
// Their trip count is known at entry, so fuel metering charges it once there instead of one
// unit per back-edge: the same total, and no metering code in the hot loop body.

import {
  type AstNode,
  assertNever,
  type Call,
  type Expr,
  forEachChild,
  isExpr,
  type Stmt,
  type Var,
} from "./ast.ts";
import { isPointer, isSigned } from "./types.ts";

export interface CountedLoop {
  /** The induction variable (a wasm-local scalar: integer or pointer). */
  index: Var;
  /**
   * The value the bound is compared with: the index itself, or for `end - p >= c` the
   * distance `end - p` (which falls by the step as the index rises by it).
   */
  value: Expr;
  /** Loop-invariant bound; the loop runs while `index < bound + adjust` (up) or `>` (down). */
  bound: Expr;
  /** +1 for `<=`, -1 for `>=`, else 0. */
  adjust: number;
  direction: "up" | "down";
  /** Comparison signedness. */
  signed: boolean;
  /** A positive constant, or a variable not written in the body (its sign is checked). */
  step: number | Var;
  /**
   * Whether the index provably reaches the bound without wrapping around. Otherwise the
   * metering code must check at entry, and charge everything if the loop may never end.
   */
  noWrap: boolean;
}

/** Whether a call in the loop body can neither leave the loop nor run unmetered code. */
export type CallCheck = (call: Call) => boolean;

/** Inclusive constant bounds are accepted only well inside the int range. */
const SAFE_INCLUSIVE_BOUND = 1n << 30n;

export function countedLoop(
  cond: Expr | undefined,
  step: Expr | undefined,
  body: Stmt,
  safeCall: CallCheck,
): CountedLoop | undefined {
  if (cond?.k !== "binary") return undefined;
  const distance = cond.l.k === "var" ? undefined : distanceTest(cond);
  if (cond.l.k !== "var" && !distance) return undefined;
  const index = distance ? distance.index : (cond.l as { v: Var }).v;
  if (!isRegisterInt(index)) return undefined;
  const op = cond.op;
  const direction = distance
    ? "down"
    : op === "<" || op === "<="
      ? "up"
      : op === ">" || op === ">="
        ? "down"
        : undefined;
  if (!direction) return undefined;
  const signed = distance ? true : isSigned(index.type);
  const bound = distance ? distance.bound : cond.r;
  let adjust = 0;
  if (distance) {
    adjust = -1;
  } else if (op === "<=" || op === ">=") {
    if (bound.k === "int") {
      const b = bound.value;
      if (b <= -SAFE_INCLUSIVE_BOUND || b >= SAFE_INCLUSIVE_BOUND) return undefined;
    }
    adjust = direction === "up" ? 1 : -1;
  }
  // A while loop's step is an unconditional `i = i + k` among the body's own statements, not
  // skipped by `continue`; everything else in the body must leave the index alone.
  let rest = body;
  if (!step) {
    const found = stepInBody(body, index);
    if (!found) return undefined;
    step = found.step;
    rest = found.rest;
  }
  // step: i = i + k (up) or i = i - k (down), k a positive constant or an invariant variable;
  // a distance falls as its index rises.
  if (step.k !== "assign" || step.lv.k !== "var" || step.lv.v !== index) return undefined;
  const v = step.value;
  if (v.k !== "binary" || v.l.k !== "var" || v.l.v !== index) return undefined;
  if (v.op !== (direction === "up" || distance ? "+" : "-")) return undefined;
  const invariant = new Set<Var>([index]);
  let stepBy: number | Var;
  if (v.r.k === "int") {
    const k = v.r.value;
    if (k <= 0n || k > 0xffffn) return undefined;
    stepBy = Number(k);
  } else if (v.r.k === "var" && isRegisterInt(v.r.v) && v.r.v !== index) {
    stepBy = v.r.v;
    invariant.add(stepBy);
  } else {
    return undefined;
  }
  if (!collectInvariantVars(bound, invariant)) return undefined;
  if (distance && !collectInvariantVars(distance.end, invariant)) return undefined;
  if (assignsAny(rest, invariant) || leavesEarly(body, true, safeCall)) return undefined;

  let noWrap = stepBy === 1 && adjust === 0; // i < n implies i + 1 <= n: no wrap
  if (typeof stepBy === "number" && bound.k === "int") {
    // Both constant: decide now; a loop that may wrap is simply not treated as counted.
    const width = 32;
    const b =
      (signed ? BigInt.asIntN(width, bound.value) : BigInt.asUintN(width, bound.value)) +
      BigInt(adjust);
    const k = BigInt(stepBy);
    const ok =
      direction === "up"
        ? b <= (signed ? (1n << 31n) - k : (1n << 32n) - k)
        : b >= (signed ? -(1n << 31n) + k - 1n : k - 1n);
    if (!ok) return undefined;
    noWrap = true;
  }
  const value: Expr = distance ? distance.value : cond.l;
  return { index, value, bound, adjust, direction, signed, step: stepBy, noWrap };
}

/**
 * `end - p >= c` or `end - p > c` for pointers (`(end - p) / size` when elements are wider
 * than a byte) with a constant c: the loop runs while the byte distance is at least `bound`.
 */
function distanceTest(
  cond: Expr & { k: "binary" },
): { index: Var; end: Expr; value: Expr; bound: Expr } | undefined {
  if ((cond.op !== ">=" && cond.op !== ">") || cond.r.k !== "int") return undefined;
  let c = cond.r.value + (cond.op === ">" ? 1n : 0n);
  let diff = cond.l;
  if (diff.k === "binary" && diff.op === "/" && diff.r.k === "int") {
    // (end - p) / size >= c  <=>  end - p >= c * size, for c >= 1 (truncation is then exact)
    if (c < 1n || diff.r.value < 1n) return undefined;
    c *= diff.r.value;
    diff = diff.l;
  }
  if (c < 1n || c >= SAFE_INCLUSIVE_BOUND) return undefined;
  if (diff.k !== "binary" || diff.op !== "-" || diff.type.kind !== "int") return undefined;
  const end = stripPointerCast(diff.l);
  const p = stripPointerCast(diff.r);
  if (!end || !p || p.k !== "var" || !isPointer(p.type)) return undefined;
  return {
    index: p.v,
    end,
    value: diff,
    bound: { k: "int", value: c, type: diff.type, loc: cond.loc },
  };
}

/** `(int)ptr` -> `ptr` */
function stripPointerCast(e: Expr): Expr | undefined {
  return e.k === "cast" && isPointer(e.arg.type) ? e.arg : undefined;
}

/**
 * The loop's only update of `index` as one of its body's statements (and the body without
 * it), provided no `continue` of this loop can skip it.
 */
function stepInBody(body: Stmt, index: Var): { step: Expr; rest: Stmt } | undefined {
  const list = body.k === "block" ? body.body : [body];
  let at = -1;
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (s.k === "expr" && s.expr.k === "assign" && s.expr.lv.k === "var" && s.expr.lv.v === index) {
      if (at >= 0) return undefined;
      at = i;
    }
  }
  if (at < 0 || continues(body)) return undefined;
  const rest: Stmt = { k: "block", body: list.filter((_, i) => i !== at), loc: body.loc };
  return { step: (list[at] as { expr: Expr }).expr, rest };
}

/** Whether a statement contains a `continue` of the loop it belongs to. */
function continues(n: AstNode): boolean {
  switch (n.k) {
    case "continue":
      return true;
    case "while":
    case "do":
    case "for":
      return false; // nested loops own their continues
  }
  return isExpr(n) ? false : (forEachChild(n, continues) ?? false); // C has no statement expressions
}

/** A 32-bit integer or pointer variable held in a wasm local (not an N-bit type: it wraps
 * before 32 bits). */
function isRegisterInt(v: Var): boolean {
  if (v.kind !== "local" && v.kind !== "param") return false;
  if (v.addressTaken) return false;
  const t = v.type;
  return (
    (t.kind === "int" && t.size === 4 && t.bits === undefined) ||
    t.kind === "enum" ||
    t.kind === "pointer"
  );
}

/** Whether `e` only reads constants and register variables (collected into `vars`). */
function collectInvariantVars(e: Expr, vars: Set<Var>): boolean {
  switch (e.k) {
    case "int":
      return true;
    case "var":
      if (!isRegisterInt(e.v)) return false;
      vars.add(e.v);
      return true;
    case "cast":
      return (e.type.kind === "int" || e.type.kind === "enum") && collectInvariantVars(e.arg, vars);
    case "unary":
      return collectInvariantVars(e.arg, vars);
    case "binary":
      return (
        e.op !== "/" &&
        e.op !== "%" &&
        collectInvariantVars(e.l, vars) &&
        collectInvariantVars(e.r, vars)
      );
    default:
      return false;
  }
}

/**
 * Whether the body may leave the loop early (`top`: a `break` here exits the loop). With
 * `jumps` false only calls count (for an inlined body, whose returns stay inside it).
 * A specialised walk, not forEachChild: it runs over every loop and inlined body, and the
 * generic walker made grayscale.c's whole compile 5% slower (median 0.346 vs 0.328 ms).
 * Both switches end in assertNever, so a new node kind still cannot be skipped here.
 */
export function leavesEarly(s: Stmt, top: boolean, safeCall: CallCheck, jumps = true): boolean {
  switch (s.k) {
    case "break":
      return top && jumps;
    case "return":
      return jumps || (s.value !== undefined && hasUnsafeCall(s.value, safeCall));
    case "goto":
      return jumps;
    case "continue":
      return false;
    case "expr":
      return hasUnsafeCall(s.expr, safeCall);
    case "decl":
      if (!s.init) return false;
      for (const i of s.init.items) if ("expr" in i && hasUnsafeCall(i.expr, safeCall)) return true;
      return false;
    case "block":
      for (const b of s.body) if (leavesEarly(b, top, safeCall, jumps)) return true;
      return false;
    case "if":
      return (
        hasUnsafeCall(s.cond, safeCall) ||
        leavesEarly(s.then, top, safeCall, jumps) ||
        (s.else !== undefined && leavesEarly(s.else, top, safeCall, jumps))
      );
    case "while":
    case "do":
    case "switch":
      return hasUnsafeCall(s.cond, safeCall) || leavesEarly(s.body, false, safeCall, jumps);
    case "for":
      return (
        (s.init !== undefined && leavesEarly(s.init, top, safeCall, jumps)) ||
        (s.cond !== undefined && hasUnsafeCall(s.cond, safeCall)) ||
        (s.step !== undefined && hasUnsafeCall(s.step, safeCall)) ||
        leavesEarly(s.body, false, safeCall, jumps)
      );
    case "case":
    case "label":
      return leavesEarly(s.body, top, safeCall, jumps);
    default:
      return assertNever(s);
  }
}

function hasUnsafeCall(e: Expr, safeCall: CallCheck): boolean {
  switch (e.k) {
    case "int":
    case "float":
    case "var":
      return false;
    case "call":
      if (!safeCall(e) || hasUnsafeCall(e.callee, safeCall)) return true;
      for (const a of e.args) if (hasUnsafeCall(a, safeCall)) return true;
      return false;
    case "deref":
      return hasUnsafeCall(e.ptr, safeCall);
    case "member":
      return hasUnsafeCall(e.base, safeCall);
    case "addr":
      return hasUnsafeCall(e.lv, safeCall);
    case "unary":
    case "cast":
      return hasUnsafeCall(e.arg, safeCall);
    case "binary":
    case "logical":
    case "comma":
      return hasUnsafeCall(e.l, safeCall) || hasUnsafeCall(e.r, safeCall);
    case "cond":
      return (
        hasUnsafeCall(e.c, safeCall) || hasUnsafeCall(e.t, safeCall) || hasUnsafeCall(e.f, safeCall)
      );
    case "assign":
      return hasUnsafeCall(e.lv, safeCall) || hasUnsafeCall(e.value, safeCall);
    case "compound":
      for (const i of e.init.items) if ("expr" in i && hasUnsafeCall(i.expr, safeCall)) return true;
      return false;
    case "stmtexpr":
      return true; // statements (loops, calls) run inside: no trip-count charge
    default:
      return assertNever(e);
  }
}

/** Whether `n` assigns or declares one of `vars`. */
function assignsAny(root: AstNode, vars: Set<Var>): boolean {
  const walk = (n: AstNode): boolean => {
    if (n.k === "assign" && n.lv.k === "var" && vars.has(n.lv.v)) return true;
    if (n.k === "decl" && vars.has(n.v)) return true;
    return forEachChild(n, walk) ?? false;
  };
  return walk(root);
}
