// Which counted loops run in SIMD lanes (the emission is vectorize.ts). A loop qualifies when
// its index `i` (an int) rises by 1 to an invariant bound and its body is straight-line code:
// declarations of integer temporaries and stores `p[i + c] = expr` through invariant pointer
// locals, with expressions over loads `q[i + c]` (unit stride, 8/16/32-bit integers), the
// index, invariant integer locals, constants, casts, + - * & | ^ ~ ! unary -, shifts by a
// constant, comparisons, && ||, ?:, / and % by a positive constant, and calls of inlined
// `{ return expr; }` functions. No calls, branches, floats or 64-bit values.
//
// Every lane computes in i32 exactly what C computes for that iteration: a value of a type
// narrower than int is held sign- or zero-extended (as the integer promotions see it), int and
// unsigned wrap as wasm's i32 does. A value range is tracked per node (from the element types
// of the loads up), which is what proves the lanes exact where i32x4 has no instruction: a
// division by a constant becomes a multiply and shift only when the range makes it exact; a
// narrowing store packs with saturating narrows only after the C conversion put the value in
// the element's range. Ranges also choose i16x8 lanes, twice as many per vector: when every
// value fits 16 signed bits, or 0..65535 (grayscale's 77r + 150g + 29b + 128; such lanes are
// compared and shifted as unsigned). Whatever cannot be proved is not vectorised.
//
// Pointer loops qualify too: `while (end - p >= c)` or `p < end` with p advancing by a constant,
// whose body's accesses are `v[c]` or `*v++` through pointers that each advance by a constant
// per iteration (`v += k` statements, `*v++`; int counters advanced so, never read, also go). A
// hand-unrolled body of identical groups, its increments trailing it, is re-rolled first
// (vectorize-reroll.ts), so that one group is one lane.
//
// Memory: accesses through the same pointer must all use the same offset when it is stored to
// (`a[i] = f(a[i])`), so each lane sees what the scalar iteration would. A pointer only read
// may advance by 2, 3 or 4 elements per iteration (`s[3 * i + 1]`, RGB in `p[0..2]; p += 3`)
// if its accesses lie within one such group: the lanes take its elements apart with shuffles.
// Different pointers may alias at run time: the emitted loop checks that the byte ranges the
// whole loop touches are disjoint from every stored range, inside memory and above the NULL
// page, before taking the vector path (else the unchanged scalar loop runs, and faults exactly
// as it always did).

import { type AstNode, type Expr, forEachChild, type Stmt, type Var } from "./ast.ts";
import type { CountedLoop } from "./counted-loop.ts";
import { isSingleReturn } from "./inline.ts";
import type { ModuleContext } from "./lower-context.ts";
import type { IntType, Type } from "./types.ts";
import { reroll } from "./vectorize-reroll.ts";

export interface Range {
  lo: bigint;
  hi: bigint;
}

/** One memory access of the body: `*(base + i * stride + offset)`. */
export interface Access {
  base: Var;
  /** Byte offset from `base + i * stride`. */
  offset: number;
  size: 1 | 2 | 4;
  /** Bytes per iteration: the size, or 2, 3 or 4 times it for a grouped load. */
  stride: number;
  signed: boolean;
  store: boolean;
}

/** How a division or remainder by a constant is computed in lanes. */
export type DivPlan =
  | { k: "shift"; shift: number } // non-negative dividend, power-of-two divisor
  | { k: "magic"; mul: number; shift: number; signed: boolean }; // (|x| * mul) >>> shift

export interface VectorPlan {
  /** Iterations per vector trip: 16, 8 or 4 (the narrowest element sets it). */
  lanes: number;
  /**
   * Lane shape of the arithmetic: i16x8 when every value of the body provably fits in 16
   * signed bits (then every operation's exact result does, and wrapping i16 lanes compute it
   * exactly), or every value fits 16 unsigned bits (`unsignedLanes`), else i32x4.
   */
  shape: "i32x4" | "i16x8";
  /**
   * i16x8 lanes holding values of 0..65535: + - * & | ^ << are exact as wrapping 16-bit
   * operations (the range proves no result leaves 0..65535); compares, >> and min/max must
   * be the unsigned instructions.
   */
  unsignedLanes: boolean;
  accesses: Access[];
  /** Loop-invariant locals read as values (splatted before the loop). */
  invariants: Var[];
  /** Temporaries declared in the body. */
  temps: Var[];
  /** Per expression node: its value range (after the node's own wraparound). */
  ranges: Map<Expr, Range>;
  /** Per deref node: its access. */
  accessOf: Map<Expr, Access>;
  divisions: Map<Expr, DivPlan>;
  /** The body's statements, flattened (a pointer loop's: without its increments, re-rolled). */
  stmts: Stmt[];
  /** A pointer loop's: what it advances per iteration; undefined for an int-index loop. */
  pointer?: PointerLoop;
}

/** The induction variables of a pointer loop (vectorize-plan.ts). */
export interface PointerLoop {
  /** Every variable the loop advances, and by how much per source iteration (bytes for pointers). */
  inductions: Map<Var, number>;
  /** Lanes per source iteration: the number of groups of a re-rolled body, else 1. */
  unroll: number;
}

/** Nested inlined calls deeper than this are not expanded. */
const MAX_INLINE_DEPTH = 4;

/** Ranges of the 1-, 2- and 4-byte types, signed and unsigned (computed once: BigInt is slow). */
const typeRanges = new Map<number, Range>();
for (const size of [1, 2, 4]) {
  const bits = BigInt(size * 8);
  typeRanges.set(size * 2 + 1, { lo: -(1n << (bits - 1n)), hi: (1n << (bits - 1n)) - 1n });
  typeRanges.set(size * 2, { lo: 0n, hi: (1n << bits) - 1n });
}
export const typeRange = (t: IntType): Range => typeRanges.get(t.size * 2 + (t.signed ? 1 : 0))!;

const bmin = (a: bigint, b: bigint) => (a < b ? a : b);
const bmax = (a: bigint, b: bigint) => (a > b ? a : b);
const within = (r: Range, t: Range) => r.lo >= t.lo && r.hi <= t.hi;

/** A 1-, 2- or 4-byte integer type (not _Bool, whose stores normalise, nor an N-bit type), or
 * undefined. */
export function laneInt(t: Type): IntType | undefined {
  if (t.kind === "enum") return { kind: "int", name: "int", size: 4, signed: true };
  if (t.kind !== "int" || t.name === "_Bool" || t.size > 4 || t.bits !== undefined)
    return undefined;
  return t;
}

/** Why analysis gave up (thrown and caught inside planVector). */
class NotVectorisable extends Error {}
/** One instance, thrown often: building an Error (its stack) per refusal costs compile time. */
const notVectorisable = new NotVectorisable();
function fail(): never {
  throw notVectorisable;
}

/**
 * The plan for vectorising a counted loop, or undefined. `step` is a `for` loop's step
 * expression (a `while` loop's is in its body); `localOf` gives the wasm local of a variable
 * held in one during the loop.
 */
export function planVector(
  c: CountedLoop,
  body: Stmt,
  step: Expr | undefined,
  mod: ModuleContext,
  localOf: (v: Var) => number | undefined,
): VectorPlan | undefined {
  if (c.index.type.kind === "pointer") return planPointerLoop(c, body, step, mod, localOf);
  if (!step || c.direction !== "up" || c.step !== 1 || !c.signed || c.value.k !== "var") {
    return undefined;
  }
  const it = laneInt(c.index.type);
  if (it?.size !== 4 || !it.signed || localOf(c.index) === undefined) return undefined;
  return plan(flatten(body), new Planner({ index: c.index }, mod, localOf));
}

function plan(stmts: Stmt[], p: Planner): VectorPlan | undefined {
  try {
    for (const s of stmts) p.stmt(s);
    return p.finish(stmts.filter((s) => !p.increments.has(s)));
  } catch (e) {
    if (e instanceof NotVectorisable) return undefined;
    throw e;
  }
}

function flatten(body: Stmt): Stmt[] {
  const stmts: Stmt[] = [];
  const walk = (s: Stmt): void => {
    if (s.k === "block") s.body.forEach(walk);
    else stmts.push(s);
  };
  walk(body);
  return stmts;
}

/** Re-roll factors tried, largest first (each divides every lane count it is used with). */
const UNROLLS = [16, 8, 4, 2];

/**
 * `while (end - p >= c)` or `while (p < end)` whose pointers advance by constants: in `v += k`
 * statements, or `*v++` accesses. A body whose increments all trail it may be re-rolled.
 */
function planPointerLoop(
  c: CountedLoop,
  body: Stmt,
  step: Expr | undefined,
  mod: ModuleContext,
  localOf: (v: Var) => number | undefined,
): VectorPlan | undefined {
  if (typeof c.step !== "number" || localOf(c.index) === undefined) return undefined;
  const distance = c.direction === "down" && c.value.k !== "var";
  const up = c.direction === "up" && !c.signed && c.value.k === "var";
  if (!distance && !up) return undefined;
  const stmts = flatten(body);
  if (step) stmts.push({ k: "expr", expr: step, loc: step.loc });
  let trailing = stmts.length;
  while (trailing > 0 && increment(stmts[trailing - 1]!, localOf)) trailing--;
  const inductions = new Map<Var, number>();
  const add = (v: Var, by: number) => inductions.set(v, (inductions.get(v) ?? 0) + by);
  let inner = false; // an increment before the body's end
  for (const [i, s] of stmts.entries()) {
    const inc = increment(s, localOf);
    if (inc) add(inc.v, inc.by);
    const posts = postIncrements(s, localOf);
    if (!posts) return undefined;
    for (const [v, by] of posts) add(v, by);
    inner ||= (inc !== undefined && i < trailing) || posts.size > 0;
  }
  if (inductions.get(c.index) !== c.step) return undefined;
  // a temporary of the body is declared afresh each iteration: no induction variable
  if (stmts.some((s) => s.k === "decl" && inductions.has(s.v))) return undefined;
  const work = stmts.slice(0, trailing);
  const pointers = [...inductions].filter(([v]) => v.type.kind === "pointer");
  for (const unroll of [...(inner ? [] : UNROLLS), 1]) {
    const strides = new Map<Var, number>();
    for (const [v, by] of pointers) if (by % unroll === 0) strides.set(v, by / unroll);
    const group = unroll === 1 ? stmts : reroll(work, unroll, strides);
    if (!group) continue;
    const p = new Planner({ strides, inductions: new Set(inductions.keys()) }, mod, localOf);
    const found = plan(group, p);
    if (found && found.lanes >= unroll) return { ...found, pointer: { inductions, unroll } };
  }
  return undefined;
}

/**
 * The `*v++` accesses of a statement: v and its advance in bytes, or undefined when v also
 * appears elsewhere in the statement (C leaves `*q++ = q[1]` unsequenced: not for us).
 */
function postIncrements(
  s: Stmt,
  localOf: (v: Var) => number | undefined,
): Map<Var, number> | undefined {
  const found = new Map<Var, number>();
  const uses = new Map<Var, number>();
  const walk = (n: AstNode): void => {
    if (n.k === "var") uses.set(n.v, (uses.get(n.v) ?? 0) + 1);
    if (n.k === "deref") {
      const inc = postIncrement(n.ptr, localOf);
      if (inc) found.set(inc.v, found.has(inc.v) ? -1 : inc.by);
    }
    forEachChild(n, (c) => {
      walk(c);
      return undefined;
    });
  };
  walk(s);
  for (const [v, by] of found) if (by < 0 || uses.get(v) !== 2) return undefined;
  return found;
}

/** `v++` as an address: `(v = v + k) - k`, v a pointer local (k: its element size). */
export function postIncrement(
  p: Expr,
  localOf: (v: Var) => number | undefined,
): { v: Var; by: number } | undefined {
  if (p.k !== "binary" || p.op !== "-" || p.r.k !== "int" || p.l.k !== "assign") return undefined;
  const inc = increment({ k: "expr", expr: p.l, loc: p.loc }, localOf);
  if (inc?.v.type.kind !== "pointer" || BigInt(inc.by) !== p.r.value) return undefined;
  return inc;
}

/** `v = v + k` with v a pointer or int local and k a positive constant (bytes for pointers). */
function increment(
  s: Stmt,
  localOf: (v: Var) => number | undefined,
): { v: Var; by: number } | undefined {
  if (s.k !== "expr" || s.expr.k !== "assign" || s.expr.lv.k !== "var") return undefined;
  const v = s.expr.lv.v;
  const value = s.expr.value;
  if (value.k !== "binary" || value.op !== "+" || value.l.k !== "var" || value.l.v !== v) {
    return undefined;
  }
  if (value.r.k !== "int" || value.r.value <= 0n || value.r.value > 0xffffn) return undefined;
  const t = v.type;
  const int = laneInt(t);
  if (t.kind !== "pointer" && int?.size !== 4) return undefined;
  if (v.addressTaken || localOf(v) === undefined) return undefined;
  return { v, by: Number(value.r.value) };
}

/** How accesses advance: with an int index, or through pointers advancing by a stride each. */
type Mode = { index: Var } | { strides: Map<Var, number>; inductions: Set<Var> };

class Planner {
  readonly ranges = new Map<Expr, Range>();
  readonly accessOf = new Map<Expr, Access>();
  readonly divisions = new Map<Expr, DivPlan>();
  readonly accesses: Access[] = [];
  readonly invariants = new Set<Var>();
  /** Temporaries and inlined parameters in scope, with their current range. */
  readonly values = new Map<Var, Range>();
  readonly temps: Var[] = [];
  /** The values stores write (converted to their element type: only stored, not computed with). */
  private readonly stored = new Set<Expr>();
  private inlineDepth = 0;

  private readonly index: Var | undefined;
  /** A pointer loop's increment statements (not lane code). */
  readonly increments = new Set<Stmt>();
  /** Bytes each induction pointer has advanced so far in the iteration. */
  private readonly moved = new Map<Var, number>();

  constructor(
    private readonly mode: Mode,
    private readonly mod: ModuleContext,
    private readonly localOf: (v: Var) => number | undefined,
  ) {
    this.index = "index" in mode ? mode.index : undefined;
  }

  stmt(s: Stmt): void {
    const inc = "inductions" in this.mode ? increment(s, this.localOf) : undefined;
    if (inc && this.isInduction(inc.v)) {
      this.moved.set(inc.v, (this.moved.get(inc.v) ?? 0) + inc.by);
      this.increments.add(s);
      return;
    }
    if (s.k === "decl") {
      const t = laneInt(s.v.type);
      const item = s.init?.items[0];
      if (!t || s.v.addressTaken || s.init?.items.length !== 1 || !item || !("expr" in item)) {
        fail();
      }
      if (item.offset !== 0) fail();
      this.values.set(s.v, this.convert(this.expr(item.expr), item.expr.type, t));
      this.temps.push(s.v);
      return;
    }
    if (s.k !== "expr" || s.expr.k !== "assign") fail();
    const { lv, value } = s.expr;
    const t = laneInt(lv.type) ?? fail();
    const r = this.convert(this.expr(value), value.type, t);
    if (lv.k === "var") {
      if (!this.values.has(lv.v) || this.temps.indexOf(lv.v) < 0) fail();
      this.values.set(lv.v, r);
      return;
    }
    if (lv.k !== "deref") fail();
    this.access(lv, true);
    this.stored.add(value);
  }

  finish(stmts: Stmt[]): VectorPlan | undefined {
    const stores = this.accesses.filter((a) => a.store);
    if (stores.length === 0) return undefined;
    // A stored pointer is read and written only at one offset: lane k then sees exactly
    // the values iteration k would (an earlier or later element would be another iteration's).
    for (const s of stores) {
      for (const a of this.accesses) {
        if (a.base === s.base && (a.offset !== s.offset || a.size !== s.size)) return undefined;
      }
    }
    for (const a of this.accesses) {
      for (const b of this.accesses) {
        if (a.base === b.base && (a.size !== b.size || a.stride !== b.stride)) return undefined;
      }
      // A grouped load: every access of its pointer within one group of `stride` bytes.
      if (a.stride !== a.size) {
        const same = this.accesses.filter((b) => b.base === a.base);
        const lo = Math.min(...same.map((b) => b.offset));
        const hi = Math.max(...same.map((b) => b.offset + b.size));
        if (same.some((b) => b.store) || hi - lo > a.stride) return undefined;
      }
    }
    const narrowest = Math.min(...this.accesses.map((a) => a.size));
    const i16 = typeRange({ kind: "int", name: "short", size: 2, signed: true });
    const u16 = typeRange({ kind: "int", name: "short", size: 2, signed: false });
    const small =
      this.accesses.every((a) => a.size <= 2) &&
      [...this.divisions.values()].every((d) => d.k === "shift");
    const short = small && [...this.ranges.values()].every((r) => within(r, i16));
    // A stored value may be negative in unsigned lanes: its 16 bits are what a short store
    // writes, and a char store's signed narrow reads them as the signed value they are.
    const unsignedLanes =
      small &&
      !short &&
      [...this.ranges].every(
        ([e, r]) => within(r, this.stored.has(e) ? i16 : u16) || within(r, u16),
      );
    return {
      lanes: 16 / narrowest,
      shape: short || unsignedLanes ? "i16x8" : "i32x4",
      unsignedLanes,
      accesses: this.accesses,
      invariants: [...this.invariants],
      temps: this.temps,
      ranges: this.ranges,
      accessOf: this.accessOf,
      divisions: this.divisions,
      stmts,
    };
  }

  /**
   * `*(base + i * stride + offset)` with base an invariant pointer local, or `*(v + offset)`
   * with v an induction pointer advancing by `stride`.
   */
  private access(e: Expr & { k: "deref" }, store: boolean): Range {
    const t = laneInt(e.type) ?? fail();
    const ptr = e.ptr;
    let base: Var;
    let off: { coef: bigint; c: bigint };
    let op = "+";
    const post = "inductions" in this.mode ? postIncrement(ptr, this.localOf) : undefined;
    if (post) {
      // `*v++`: the access is where v is now; v moves on after it
      base = post.v;
      off = { coef: 0n, c: 0n };
    } else if (ptr.k === "var" && !("index" in this.mode)) {
      base = ptr.v;
      off = { coef: 0n, c: 0n };
    } else {
      if (ptr.k !== "binary" || (ptr.op !== "+" && ptr.op !== "-") || ptr.l.k !== "var") {
        return fail();
      }
      base = ptr.l.v;
      op = ptr.op;
      // A pointer loop's offsets are constants (the pointer is no int index: coef 0).
      off = affine(ptr.r, this.index ?? base) ?? fail();
    }
    if (base === this.index || base.kind === "function" || this.values.has(base)) return fail();
    if (base.type.kind !== "pointer" || this.localOf(base) === undefined) return fail();
    let stride = op === "+" ? off.coef : -off.coef;
    let offset = op === "+" ? off.c : -off.c;
    if ("strides" in this.mode) {
      if (stride !== 0n) return fail();
      stride = BigInt(this.mode.strides.get(base) ?? fail());
      offset += BigInt(this.moved.get(base) ?? 0);
      if (post) this.moved.set(base, (this.moved.get(base) ?? 0) + post.by);
    }
    const size = BigInt(t.size);
    if (stride % size !== 0n || stride < size || stride > 4n * size) return fail();
    if (offset < -(1n << 24n) || offset > 1n << 24n) return fail();
    const a: Access = {
      base,
      offset: Number(offset),
      size: t.size as 1 | 2 | 4,
      stride: Number(stride),
      signed: t.signed,
      store,
    };
    this.accesses.push(a);
    this.accessOf.set(e, a);
    return typeRange(t);
  }

  private isInduction(v: Var): boolean {
    return "inductions" in this.mode && this.mode.inductions.has(v);
  }

  /** The range of a value of type `from` converted to `to` (the lanes follow convert()). */
  convert(r: Range, from: Type, to: IntType): Range {
    if (!laneInt(from)) return fail();
    const tr = typeRange(to);
    return within(r, tr) ? r : tr;
  }

  /** Analyses `e`, records and returns its range. */
  expr(e: Expr): Range {
    const r = this.exprRange(e);
    this.ranges.set(e, r);
    return r;
  }

  private exprRange(e: Expr): Range {
    const t = laneInt(e.type) ?? fail();
    const full = typeRange(t);
    const clamp = (r: Range) => (within(r, full) ? r : full);
    switch (e.k) {
      case "int":
        return clamp({ lo: e.value, hi: e.value });
      case "var": {
        if (e.v === this.index) return full;
        const known = this.values.get(e.v);
        if (known) return known;
        if (e.v.kind === "function" || this.localOf(e.v) === undefined) return fail();
        if (this.isInduction(e.v)) return fail();
        this.invariants.add(e.v);
        return full;
      }
      case "deref":
        return this.access(e, false);
      case "cast":
        return this.convert(this.expr(e.arg), e.arg.type, t);
      case "unary": {
        const a = this.expr(e.arg);
        if (e.op === "!") return { lo: 0n, hi: 1n };
        if (e.op === "-") return clamp({ lo: -a.hi, hi: -a.lo });
        return t.signed
          ? { lo: -a.hi - 1n, hi: -a.lo - 1n }
          : { lo: full.hi - a.hi, hi: full.hi - a.lo };
      }
      case "logical":
        this.expr(e.l);
        this.expr(e.r);
        return { lo: 0n, hi: 1n };
      case "cond": {
        this.expr(e.c);
        const a = this.convert(this.expr(e.t), e.t.type, t);
        const b = this.convert(this.expr(e.f), e.f.type, t);
        return { lo: bmin(a.lo, b.lo), hi: bmax(a.hi, b.hi) };
      }
      case "binary":
        return this.binary(e, t, full);
      case "call":
        return this.inlined(e, t);
      default:
        return fail();
    }
  }

  private binary(e: Expr & { k: "binary" }, t: IntType, full: Range): Range {
    const clamp = (r: Range) => (within(r, full) ? r : full);
    const ot = laneInt(e.l.type) ?? fail();
    if (ot.size !== 4 || !laneInt(e.r.type)) return fail();
    const a = this.expr(e.l);
    const b = this.expr(e.r);
    const corners = (f: (x: bigint, y: bigint) => bigint) => {
      const v = [f(a.lo, b.lo), f(a.lo, b.hi), f(a.hi, b.lo), f(a.hi, b.hi)];
      return clamp({
        lo: v.reduce(bmin),
        hi: v.reduce(bmax),
      });
    };
    switch (e.op) {
      case "+":
        return clamp({ lo: a.lo + b.lo, hi: a.hi + b.hi });
      case "-":
        return clamp({ lo: a.lo - b.hi, hi: a.hi - b.lo });
      case "*":
        return corners((x, y) => x * y);
      case "&":
      case "|":
      case "^": {
        if (a.lo < 0n || b.lo < 0n) return full;
        if (e.op === "&") return { lo: 0n, hi: bmin(a.hi, b.hi) };
        let m = 1n;
        while (m <= a.hi || m <= b.hi) m <<= 1n;
        return clamp({ lo: 0n, hi: m - 1n });
      }
      case "<<":
      case ">>": {
        if (e.r.k !== "int" || e.r.value < 0n || e.r.value > 31n) return fail();
        const k = e.r.value;
        if (e.op === ">>") return { lo: a.lo >> k, hi: a.hi >> k };
        return clamp({ lo: a.lo << k, hi: a.hi << k });
      }
      case "/":
      case "%": {
        if (e.r.k !== "int") return fail();
        const d = t.signed ? BigInt.asIntN(32, e.r.value) : BigInt.asUintN(32, e.r.value);
        if (d <= 0n || d > 0x7fffffffn) return fail();
        const plan = divisionPlan(a, d) ?? fail();
        this.divisions.set(e, plan);
        if (e.op === "/") return { lo: a.lo / d, hi: a.hi / d };
        return a.lo >= 0n ? { lo: 0n, hi: bmin(a.hi, d - 1n) } : { lo: -(d - 1n), hi: d - 1n };
      }
      case "==":
      case "!=":
      case "<":
      case "<=":
      case ">":
      case ">=":
        return { lo: 0n, hi: 1n };
      default:
        return fail();
    }
  }

  /** A call of an inlined `{ return expr; }` function: its parameters take the argument ranges. */
  private inlined(e: Expr & { k: "call" }, t: IntType): Range {
    if (e.callee.k !== "var" || this.inlineDepth >= MAX_INLINE_DEPTH) return fail();
    const def = this.mod.inlineDef(e.callee.v);
    if (!def || !isSingleReturn(def) || def.params.length !== e.args.length) return fail();
    const bound: Var[] = [];
    e.args.forEach((arg, i) => {
      const p = def.params[i]!;
      const pt = laneInt(p.type);
      if (!pt || p.addressTaken || this.values.has(p)) fail();
      bound.push(p);
      this.values.set(p, this.convert(this.expr(arg), arg.type, pt!));
    });
    const ret = (def.body.body[0] as { value: Expr }).value;
    if (writesAny(ret)) return fail();
    this.inlineDepth++;
    const r = this.convert(this.expr(ret), ret.type, t);
    this.inlineDepth--;
    for (const p of bound) this.values.delete(p);
    return r;
  }
}

/** Whether an expression assigns anything (inlined bodies must be pure for us). */
function writesAny(e: Expr): boolean {
  switch (e.k) {
    case "assign":
    case "stmtexpr":
    case "compound":
    case "comma":
      return true;
    case "binary":
    case "logical":
      return writesAny(e.l) || writesAny(e.r);
    case "cond":
      return writesAny(e.c) || writesAny(e.t) || writesAny(e.f);
    case "unary":
    case "cast":
      return writesAny(e.arg);
    case "deref":
      return writesAny(e.ptr);
    case "call":
      return e.args.some(writesAny);
    default:
      return false;
  }
}

/** `coef * index + c` for an int-typed byte offset, or undefined. */
export function affine(e: Expr, index: Var): { coef: bigint; c: bigint } | undefined {
  const t = laneInt(e.type);
  if (t?.size !== 4) return undefined;
  switch (e.k) {
    case "int":
      return { coef: 0n, c: BigInt.asIntN(32, e.value) };
    case "var":
      return e.v === index ? { coef: 1n, c: 0n } : undefined;
    case "cast":
      return affine(e.arg, index);
    case "unary": {
      if (e.op !== "-") return undefined;
      const a = affine(e.arg, index);
      return a && { coef: -a.coef, c: -a.c };
    }
    case "binary": {
      const a = affine(e.l, index);
      const b = affine(e.r, index);
      if (!a || !b) return undefined;
      if (e.op === "+") return { coef: a.coef + b.coef, c: a.c + b.c };
      if (e.op === "-") return { coef: a.coef - b.coef, c: a.c - b.c };
      if (e.op === "*" && a.coef === 0n) return { coef: a.c * b.coef, c: a.c * b.c };
      if (e.op === "*" && b.coef === 0n) return { coef: b.c * a.coef, c: b.c * a.c };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Lanes for `x / d` (and `x % d = x - (x / d) * d`) over the range `r`, C truncating
 * division: a shift for a non-negative x and d a power of two, else `(|x| * mul) >>> shift`
 * with the sign put back, where the multiply cannot overflow 32 bits and
 * floor(|x| * mul / 2^shift) = floor(|x| / d) for every |x| in range: with
 * mul = ceil(2^shift / d) and e = mul * d - 2^shift, that holds when max|x| * e < 2^shift.
 */
export function divisionPlan(r: Range, d: bigint): DivPlan | undefined {
  const signed = r.lo < 0n;
  const max = signed ? bmax(-r.lo, r.hi) : r.hi;
  if (!signed && (d & (d - 1n)) === 0n) {
    let shift = 0;
    while (1n << BigInt(shift) < d) shift++;
    return { k: "shift", shift };
  }
  for (let s = 0n; s <= 31n; s++) {
    const mul = ((1n << s) + d - 1n) / d;
    const err = mul * d - (1n << s);
    if (max * mul >= 1n << 32n) return undefined;
    if (max * err < 1n << s) return { k: "magic", mul: Number(mul), shift: Number(s), signed };
  }
  return undefined;
}
