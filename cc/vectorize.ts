// Emission of a vectorised counted loop (the plan and its rules are vectorize-plan.ts). Placed
// after the loop's entry test and trip-count charge, before the scalar loop:
//
//   block $scalar
//     lim = bound - lanes + 1 (i64); br_if $scalar unless i < lim
//     for each pointer: [lo, hi) of the bytes the whole loop touches (i64, exact);
//       br_if $scalar if a range leaves memory, a pointer is in the NULL page, or a stored
//       range overlaps another pointer's range
//     loop $v  body in i32x4 lanes for iterations i .. i + lanes - 1;  i += lanes;  br_if $v (i < lim)
//   end
//   (the caller re-tests the condition, then the unchanged scalar loop runs the rest)
//
// A pointer loop has no index: the iterations left follow from its test (`end - p >= c`:
// (end - p - c) / step + 1), the vector loop counts whole trips down, and afterwards every
// induction variable advances by what those trips did, as the scalar iterations would have.
// A grouped load (RGB: p[0], p[1], p[2], p += 3) loads the trip's span once, 16 bytes at a
// time, and gathers each element's lanes with i8x16.shuffle.
//
// The vector trips take no fuel: the counted loop's charge on entry already paid for every
// iteration, vector or scalar, so fuel is spent and runs out exactly as without vectorising.
// They cannot fault either (every byte they touch was checked first), and when anything could,
// the scalar loop does all the work and faults where it always did.

import type { CodeWriter } from "../wasm/index.ts";
import type { Expr, Stmt, Var } from "./ast.ts";
import type { CountedLoop } from "./counted-loop.ts";
import type { ExprLowerer } from "./lower-expr.ts";
import { NULL_PAGE_SIZE } from "./module.ts";
import type { IntType } from "./types.ts";
import { type Access, laneInt, type Range, typeRange, type VectorPlan } from "./vectorize-plan.ts";

/** One v128 constant with the same value in every 32-bit (or 16-bit) lane. */
function splatConst(lo: ExprLowerer, value: bigint | number, width: 4 | 2 = 4): void {
  const v = Number(BigInt.asIntN(32, BigInt(value)));
  const bytes = new Uint8Array(16);
  if (width === 4) new DataView(bytes.buffer).setInt32(0, v, true);
  else new DataView(bytes.buffer).setInt16(0, v, true);
  for (let i = width; i < 16; i++) bytes[i] = bytes[i - width]!;
  lo.w.bytesFD("v128_const", bytes);
}

type OpFDName = Parameters<CodeWriter["opFD"]>[0];

/** The end of a vector trip (its back-edge) and what follows the vector loop. */
interface Trips {
  next: () => void;
  after?: () => void;
}

interface BaseInfo {
  v: Var;
  local: number;
  /** Bytes per iteration. */
  stride: number;
  /** Lowest and highest-plus-size byte offsets of its accesses. */
  min: number;
  end: number;
  stored: boolean;
  /** i64 locals: [lo, hi) of the bytes the loop touches through it. */
  lo: number;
  hi: number;
  /** i32 local: the lowest byte this trip accesses through it. */
  at: number;
}

/** Emits the vector loop; `localOf` is the wasm local of a variable held in one. */
export function emitVectorLoop(
  lo: ExprLowerer,
  c: CountedLoop,
  plan: VectorPlan,
  localOf: (v: Var) => number,
): void {
  new VectorEmitter(lo, c, plan, localOf).emit();
}

class VectorEmitter {
  private readonly w;
  /** Vectors per trip: lanes / lanes per vector. */
  private readonly quarters: number;
  /** Lane shape of the arithmetic, the prefix of its instructions. */
  private readonly P: "i32x4" | "i16x8";
  private readonly width: 4 | 2;
  private readonly index: number;
  private readonly bases = new Map<Var, BaseInfo>();
  private readonly splats = new Map<Var, number>();
  /** Per temporary or bound inline parameter: one v128 local per quarter. */
  private readonly values = new Map<Var, number[]>();
  /** Loaded chunks of this trip: `base:offset:chunk` -> v128 local (forgotten at stores). */
  private readonly chunks = new Map<string, number>();
  private readonly owned: { vt: "i32" | "i64" | "v128"; local: number }[] = [];

  constructor(
    private readonly lo: ExprLowerer,
    private readonly c: CountedLoop,
    private readonly plan: VectorPlan,
    private readonly localOf: (v: Var) => number,
  ) {
    this.w = lo.w;
    this.P = plan.shape;
    this.width = plan.shape === "i32x4" ? 4 : 2;
    this.quarters = (plan.lanes * this.width) / 16;
    this.index = localOf(c.index);
  }

  /** Whether values of a C type of this signedness are signed in the lanes. */
  private signedLanes(signed: boolean): boolean {
    return signed && !this.plan.unsignedLanes;
  }

  /** An instruction of the lane shape: op("add") is i32x4.add or i16x8.add. */
  private op(name: string): void {
    this.w.opFD(`${this.P}_${name}` as OpFDName);
  }

  private splat(value: bigint | number): void {
    splatConst(this.lo, value, this.width);
  }

  private temp(vt: "i32" | "i64" | "v128"): number {
    const local = this.lo.frame.temp(vt);
    this.owned.push({ vt, local });
    return local;
  }

  emit(): void {
    const { w, lo, plan } = this;
    const lanes = plan.lanes;
    for (const a of plan.accesses) {
      const b = this.bases.get(a.base);
      if (b) {
        b.min = Math.min(b.min, a.offset);
        b.end = Math.max(b.end, a.offset + a.size);
        b.stored ||= a.store;
      } else {
        this.bases.set(a.base, {
          v: a.base,
          local: this.localOf(a.base),
          stride: a.stride,
          min: a.offset,
          end: a.offset + a.size,
          stored: a.store,
          lo: this.temp("i64"),
          hi: this.temp("i64"),
          at: this.temp("i32"),
        });
      }
    }
    const first = this.temp("i64"); // the first and last iteration the vector trips run
    const last = this.temp("i64");
    w.block();
    lo.depth++;
    const trips = plan.pointer ? this.pointerTrips(first, last) : this.indexTrips(first, last);
    const mem = this.temp("i64");
    w.memorySize().op("i64_extend_i32_u").i64Const(16n).op("i64_shl").localSet(mem);
    for (const b of this.bases.values()) {
      // lo = base + first * stride + min; hi = base + last * stride + end, both exact in i64.
      // A grouped load reads whole groups: up to min + stride in the last iteration.
      const end = Math.max(b.end, b.min + b.stride);
      w.localGet(b.local).op("i64_extend_i32_u");
      w.localGet(first).i64Const(BigInt(b.stride)).op("i64_mul");
      w.op("i64_add").i64Const(BigInt(b.min)).op("i64_add").localTee(b.lo);
      w.i64Const(0n).op("i64_lt_s").brIf(0);
      w.localGet(b.local).op("i64_extend_i32_u");
      w.localGet(last).i64Const(BigInt(b.stride)).op("i64_mul").op("i64_add");
      w.i64Const(BigInt(end)).op("i64_add").localTee(b.hi);
      w.localGet(mem).op("i64_gt_s").brIf(0);
      if (lo.mod.nullChecks) w.localGet(b.local).i32Const(NULL_PAGE_SIZE).op("i32_lt_u").brIf(0);
      // at = the address of the first trip's lowest access (exact: lo is in memory)
      w.localGet(b.lo).op("i32_wrap_i64").localSet(b.at);
    }
    const list = [...this.bases.values()];
    for (const s of list) {
      if (!s.stored) continue;
      for (const a of list) {
        if (a === s || (a.stored && list.indexOf(a) < list.indexOf(s))) continue;
        // overlap: s.lo < a.hi && a.lo < s.hi
        w.localGet(s.lo).localGet(a.hi).op("i64_lt_s");
        w.localGet(a.lo).localGet(s.hi).op("i64_lt_s").op("i32_and").brIf(0);
      }
    }
    for (const v of plan.invariants) {
      const local = this.temp("v128");
      // a char or short invariant fits i16x8 lanes: splat it per lane of the shape
      w.localGet(this.localOf(v)).opFD(`${this.P}_splat`).localSet(local);
      this.splats.set(v, local);
    }
    for (const t of plan.temps) {
      this.values.set(
        t,
        Array.from({ length: this.quarters }, () => this.temp("v128")),
      );
    }
    w.loop();
    lo.depth++;
    for (const s of plan.stmts) this.stmt(s);
    this.forgetLoads();
    for (const b of this.bases.values()) {
      w.localGet(b.at)
        .i32Const(lanes * b.stride)
        .op("i32_add")
        .localSet(b.at);
    }
    trips.next();
    w.end();
    lo.depth--;
    trips.after?.();
    w.end();
    lo.depth--;
    for (const o of this.owned) lo.frame.release(o.vt, o.local);
  }

  /**
   * An int-index loop: enters the vector trips (or leaves the block) with first = i and last
   * the last iteration a vector trip runs.
   */
  private indexTrips(first: number, last: number): Trips {
    const { w, lo, c } = this;
    const lanes = this.plan.lanes;
    const lim = this.temp("i32");
    // last = bound + adjust - 1; enter only when i + lanes - 1 <= last
    lo.expr(c.bound);
    w.op("i64_extend_i32_s")
      .i64Const(BigInt(c.adjust - 1))
      .op("i64_add")
      .localTee(last);
    w.i64Const(BigInt(lanes - 1)).op("i64_sub");
    w.localGet(this.index).op("i64_extend_i32_s").localTee(first).op("i64_lt_s").brIf(0);
    // i + lanes never wraps in the vector loop (a loop up to INT_MAX stays scalar)
    w.localGet(last)
      .i64Const(BigInt(0x7fffffff - lanes))
      .op("i64_gt_s")
      .brIf(0);
    w.localGet(last)
      .i64Const(BigInt(lanes - 2))
      .op("i64_sub")
      .op("i32_wrap_i64")
      .localSet(lim);
    return {
      next: () => {
        w.localGet(this.index).i32Const(lanes).op("i32_add").localTee(this.index);
        w.localGet(lim).op("i32_lt_s").brIf(0);
      },
    };
  }

  /**
   * A pointer loop: n, the source iterations left, is known from its test; the vector trips
   * run as many whole trips of lanes / unroll source iterations as fit (first = 0, last the
   * last re-rolled iteration), then every induction variable advances past them.
   */
  private pointerTrips(first: number, last: number): Trips {
    const { w, lo, c, plan } = this;
    const { inductions, unroll } = plan.pointer!;
    const perTrip = plan.lanes / unroll; // source iterations per vector trip
    const step = BigInt(c.step as number);
    const n = this.temp("i64");
    if (c.direction === "down") {
      // while (value > bound + adjust), value falling by step: n = (value - (bound + adjust
      // + 1)) / step + 1 (the entry test made the dividend non-negative)
      lo.expr(c.value);
      w.op("i64_extend_i32_s");
      lo.expr(c.bound);
      w.op("i64_extend_i32_s")
        .i64Const(BigInt(c.adjust + 1))
        .op("i64_add")
        .op("i64_sub");
    } else {
      // while (p < bound + adjust), unsigned, p rising by step: n = (bound + adjust - p - 1)
      // / step + 1
      lo.expr(c.bound);
      w.op("i64_extend_i32_u")
        .i64Const(BigInt(c.adjust - 1))
        .op("i64_add");
      w.localGet(this.index).op("i64_extend_i32_u").op("i64_sub");
    }
    w.localTee(n).i64Const(0n).op("i64_lt_s").brIf(0);
    w.localGet(n).i64Const(step).op("i64_div_u").i64Const(1n).op("i64_add");
    // trips = n / perTrip; none: the scalar loop does everything
    w.i64Const(BigInt(perTrip)).op("i64_div_u").localTee(n).op("i64_eqz").brIf(0);
    w.localGet(n).i64Const(BigInt(plan.lanes)).op("i64_mul").i64Const(1n).op("i64_sub");
    w.localSet(last);
    w.i64Const(0n).localSet(first);
    const trips = this.temp("i32");
    w.localGet(n).op("i32_wrap_i64").localSet(trips);
    return {
      next: () => w.localGet(trips).i32Const(1).op("i32_sub").localTee(trips).brIf(0),
      after: () => {
        // every induction variable advances by trips * perTrip source iterations
        const done = this.temp("i32");
        w.localGet(n).i64Const(BigInt(perTrip)).op("i64_mul").op("i32_wrap_i64").localSet(done);
        for (const [v, by] of inductions) {
          const local = this.localOf(v);
          w.localGet(local).localGet(done).i32Const(by).op("i32_mul").op("i32_add");
          w.localSet(local);
        }
      },
    };
  }

  private stmt(s: Stmt): void {
    if (s.k === "decl") {
      const item = s.init!.items[0] as { expr: Expr };
      this.assignTemp(s.v, item.expr);
      return;
    }
    const e = (s as { expr: Expr & { k: "assign" } }).expr;
    if (e.lv.k === "var") {
      this.assignTemp(e.lv.v, e.value);
      return;
    }
    this.store(this.plan.accessOf.get(e.lv)!, e.value, laneInt(e.lv.type)!);
  }

  private assignTemp(v: Var, value: Expr): void {
    const t = laneInt(v.type)!;
    const locals = this.values.get(v)!;
    // Every quarter into fresh locals first: the value may read the temporary itself.
    const fresh = locals.map(() => this.lo.frame.temp("v128"));
    for (let q = 0; q < this.quarters; q++) {
      this.converted(value, t, q);
      this.w.localSet(fresh[q]!);
    }
    for (let q = 0; q < this.quarters; q++) {
      this.w.localGet(fresh[q]!).localSet(locals[q]!);
      this.lo.frame.release("v128", fresh[q]!);
    }
  }

  /** Computes every quarter, then packs them to the element width and stores. */
  private store(a: Access, value: Expr, t: IntType): void {
    const w = this.w;
    const vals: number[] = [];
    for (let q = 0; q < this.quarters; q++) {
      const local = this.lo.frame.temp("v128");
      this.converted(value, t, q);
      w.localSet(local);
      vals.push(local);
    }
    const b = this.bases.get(a.base)!;
    const at = a.offset - b.min;
    // After the C conversion the lanes hold values in the element's range: packing them with
    // saturating narrows of that signedness is exact.
    const n16: OpFDName = t.signed ? "i16x8_narrow_i32x4_s" : "i16x8_narrow_i32x4_u";
    const n8: OpFDName = t.signed ? "i8x16_narrow_i16x8_s" : "i8x16_narrow_i16x8_u";
    const per = this.width / a.size; // vectors per 16-byte store
    for (let chunk = 0; chunk * per < this.quarters; chunk++) {
      w.localGet(b.at);
      const q0 = chunk * per;
      const pair = (narrow: OpFDName) =>
        w
          .localGet(vals[q0]!)
          .localGet(vals[q0 + 1]!)
          .opFD(narrow);
      if (per === 1) {
        w.localGet(vals[q0]!);
      } else if (per === 2) {
        pair(this.width === 2 ? n8 : n16);
      } else {
        pair(n16);
        w.localGet(vals[q0 + 2]!)
          .localGet(vals[q0 + 3]!)
          .opFD(n16)
          .opFD(n8);
      }
      w.memFD("v128_store", 0, at + 16 * chunk);
    }
    for (const v of vals) this.lo.frame.release("v128", v);
    this.forgetLoads();
  }

  private forgetLoads(): void {
    for (const local of this.chunks.values()) this.lo.frame.release("v128", local);
    this.chunks.clear();
  }

  /** Pushes quarter q of `e` converted to `to` (C's conversion: truncation to its width). */
  private converted(e: Expr, to: IntType, q: number): void {
    this.expr(e, q);
    this.narrowTo(this.range(e), to);
  }

  private narrowTo(r: Range, to: IntType): void {
    // In i16x8 lanes every value fits 16 bits already (the plan's condition).
    if (to.size >= this.width || (r.lo >= typeRange(to).lo && r.hi <= typeRange(to).hi)) return;
    const bits = this.width * 8 - to.size * 8;
    if (to.signed) {
      this.w.i32Const(bits);
      this.op("shl");
      this.w.i32Const(bits);
      this.op("shr_s");
    } else {
      this.splat(to.size === 1 ? 0xff : 0xffff);
      this.w.opFD("v128_and");
    }
  }

  private range(e: Expr): Range {
    return this.plan.ranges.get(e)!;
  }

  /** Pushes quarter q (lanes 4q .. 4q + 3 of this trip) of `e` as i32x4. */
  private expr(e: Expr, q: number): void {
    const w = this.w;
    switch (e.k) {
      case "int":
        this.splat(e.value);
        return;
      case "var": {
        if (e.v === this.c.index) {
          w.localGet(this.index).opFD("i32x4_splat");
          w.bytesFD("v128_const", iota(4 * q));
          w.opFD("i32x4_add");
          return;
        }
        const vals = this.values.get(e.v);
        w.localGet(vals ? vals[q]! : this.splats.get(e.v)!);
        return;
      }
      case "deref":
        this.load(this.plan.accessOf.get(e)!, q);
        return;
      case "cast":
        this.converted(e.arg, laneInt(e.type)!, q);
        return;
      case "unary":
        if (e.op === "!") {
          this.mask(e, q);
          this.maskToBool();
          return;
        }
        this.expr(e.arg, q);
        if (e.op === "-") this.op("neg");
        else w.opFD("v128_not");
        return;
      case "logical":
        this.mask(e, q);
        this.maskToBool();
        return;
      case "cond": {
        if (this.minMaxAbs(e, q)) return;
        const t = laneInt(e.type)!;
        this.converted(e.t, t, q);
        this.converted(e.f, t, q);
        this.mask(e.c, q);
        w.opFD("v128_bitselect");
        return;
      }
      case "binary":
        this.binary(e, q);
        return;
      case "call":
        this.call(e, q);
        return;
      default:
        throw new Error(`internal: vectorised ${e.k}`);
    }
  }

  /** -1 lanes -> 1. */
  private maskToBool(): void {
    this.op("neg");
  }

  /**
   * `x < 0 ? -x : x` as abs, `a < b ? a : b` and the like as min/max (no conversion in the
   * arms: they have the compared type). Equal operands give the same value either way.
   */
  private minMaxAbs(e: Expr & { k: "cond" }, q: number): boolean {
    const c = e.c;
    if (c.k !== "binary" || !["<", "<=", ">", ">="].includes(c.op)) return false;
    const ct = laneInt(c.l.type)!;
    const st = laneInt(e.type)!;
    if (ct.size !== st.size || ct.signed !== st.signed) return false;
    const less = c.op === "<" || c.op === "<=";
    const zero = c.r.k === "int" && c.r.value === 0n;
    if (zero && this.signedLanes(ct.signed)) {
      const neg = (x: Expr, y: Expr) => x.k === "unary" && x.op === "-" && same(x.arg, y);
      // x < 0 ? -x : x   or   x > 0 ? x : -x
      if ((less && neg(e.t, c.l) && same(e.f, c.l)) || (!less && same(e.t, c.l) && neg(e.f, c.l))) {
        this.expr(c.l, q);
        this.op("abs");
        return true;
      }
    }
    let min: boolean;
    if (same(e.t, c.l) && same(e.f, c.r)) min = less;
    else if (same(e.t, c.r) && same(e.f, c.l)) min = !less;
    else return false;
    this.expr(c.l, q);
    this.expr(c.r, q);
    this.op(`${min ? "min" : "max"}_${this.signedLanes(ct.signed) ? "s" : "u"}`);
    return true;
  }

  /** Pushes quarter q of a truth value as a lane mask (all ones where true). */
  private mask(e: Expr, q: number): void {
    const w = this.w;
    if (e.k === "binary" && compareOps[e.op]) {
      const signed = laneInt(e.l.type)!.signed;
      this.expr(e.l, q);
      this.expr(e.r, q);
      const [s, u] = compareOps[e.op]!;
      this.op(this.signedLanes(signed) ? s : u);
      return;
    }
    if (e.k === "unary" && e.op === "!") {
      this.mask(e.arg, q);
      w.opFD("v128_not");
      return;
    }
    if (e.k === "logical") {
      this.mask(e.l, q);
      this.mask(e.r, q);
      w.opFD(e.op === "&&" ? "v128_and" : "v128_or");
      return;
    }
    this.expr(e, q);
    this.splat(0);
    this.op("ne");
  }

  private binary(e: Expr & { k: "binary" }, q: number): void {
    const w = this.w;
    const signed = laneInt(e.l.type)!.signed;
    if (compareOps[e.op]) {
      this.mask(e, q);
      this.maskToBool();
      return;
    }
    if (e.op === "/" || e.op === "%") {
      this.division(e, q);
      return;
    }
    if (e.op === "<<" || e.op === ">>") {
      this.expr(e.l, q);
      w.i32Const(Number((e.r as { value: bigint }).value));
      this.op(e.op === "<<" ? "shl" : this.signedLanes(signed) ? "shr_s" : "shr_u");
      return;
    }
    this.expr(e.l, q);
    this.expr(e.r, q);
    if (e.op === "+" || e.op === "-" || e.op === "*") {
      this.op(e.op === "+" ? "add" : e.op === "-" ? "sub" : "mul");
      return;
    }
    w.opFD(e.op === "&" ? "v128_and" : e.op === "|" ? "v128_or" : "v128_xor");
  }

  /** Truncating division / remainder by a constant, exact over the node's operand range. */
  private division(e: Expr & { k: "binary" }, q: number): void {
    const w = this.w;
    const plan = this.plan.divisions.get(e)!;
    const d = Number((e.r as { value: bigint }).value);
    const x = this.lo.frame.temp("v128");
    this.expr(e.l, q);
    w.localSet(x);
    if (plan.k === "shift") {
      w.localGet(x).i32Const(plan.shift);
      this.op("shr_u");
    } else {
      const sign = plan.signed ? this.lo.frame.temp("v128") : -1;
      if (plan.signed) {
        w.localGet(x).i32Const(31).opFD("i32x4_shr_s").localSet(sign);
        w.localGet(x).opFD("i32x4_abs");
      } else {
        w.localGet(x);
      }
      splatConst(this.lo, plan.mul);
      w.opFD("i32x4_mul").i32Const(plan.shift).opFD("i32x4_shr_u");
      if (plan.signed) {
        // (q ^ sign) - sign: negate where x < 0
        w.localGet(sign).opFD("v128_xor").localGet(sign).opFD("i32x4_sub");
        this.lo.frame.release("v128", sign);
      }
    }
    if (e.op === "%") {
      const quotient = this.lo.frame.temp("v128");
      w.localSet(quotient);
      w.localGet(x).localGet(quotient);
      this.splat(d);
      this.op("mul");
      this.op("sub");
      this.lo.frame.release("v128", quotient);
    }
    this.lo.frame.release("v128", x);
  }

  /** An inlined `{ return expr; }`: arguments into locals bound to the parameters. */
  private call(e: Expr & { k: "call" }, q: number): void {
    const def = this.lo.mod.inlineDef((e.callee as { v: Var }).v)!;
    const bound: { p: Var; local: number }[] = [];
    e.args.forEach((arg, i) => {
      const p = def.params[i]!;
      const local = this.lo.frame.temp("v128");
      this.converted(arg, laneInt(p.type)!, q);
      this.w.localSet(local);
      bound.push({ p, local });
    });
    // Set after evaluating every argument: an argument may call the same function.
    const saved = bound.map(({ p, local }) => {
      const before = this.values.get(p);
      const lanes = Array.from({ length: this.quarters }, () => local);
      this.values.set(p, lanes);
      return { p, before, local };
    });
    const ret = (def.body.body[0] as { value: Expr }).value;
    this.converted(ret, laneInt(e.type)!, q);
    for (const s of saved) {
      if (s.before) this.values.set(s.p, s.before);
      else this.values.delete(s.p);
      this.lo.frame.release("v128", s.local);
    }
  }

  /**
   * Pushes chunk `chunk` of a grouped load as if its elements were contiguous: element k is
   * the one at byte `(chunk * per + k) * stride + offset` of the trip's span (per = 16 / size
   * elements a chunk). The span's 16-byte vectors holding them are combined by shuffles, one
   * per vector after the first: each keeps the bytes gathered so far and takes the next's.
   */
  private deinterleave(a: Access, b: BaseInfo, chunk: number): void {
    const w = this.w;
    const per = 16 / a.size;
    const from: number[] = []; // span byte of each of the 16 result bytes
    for (let k = 0; k < per; k++) {
      for (let j = 0; j < a.size; j++) {
        from.push((chunk * per + k) * a.stride + a.offset - b.min + j);
      }
    }
    const vectors = [...new Set(from.map((x) => x >> 4))];
    const push = (n: number) => {
      const key = rawKey(b, n);
      const known = this.chunks.get(key);
      if (known !== undefined) {
        w.localGet(known);
        return;
      }
      const local = this.lo.frame.temp("v128");
      this.chunks.set(key, local);
      w.localGet(b.at)
        .memFD("v128_load", 0, 16 * n)
        .localTee(local);
    };
    push(vectors[0]!);
    if (vectors.length === 1) {
      push(vectors[0]!);
      w.bytesFD(
        "i8x16_shuffle",
        from.map((x) => x & 15),
      );
      return;
    }
    const have = from.map((x) => (x >> 4 === vectors[0] ? x & 15 : -1));
    for (const n of vectors.slice(1)) {
      push(n);
      const lanes = have.map((h, i) =>
        h >= 0 ? h : from[i]! >> 4 === n ? 16 + (from[i]! & 15) : 0,
      );
      w.bytesFD("i8x16_shuffle", lanes);
      for (let i = 0; i < 16; i++) if (from[i]! >> 4 === n || have[i]! >= 0) have[i] = i;
    }
  }

  /** Pushes quarter q of a load, loading its 16-byte chunk on first use in this trip. */
  private load(a: Access, q: number): void {
    const w = this.w;
    const b = this.bases.get(a.base)!;
    const chunk = Math.floor((q * a.size) / this.width); // 16-byte chunk holding part q
    const key = `${a.base.id}:${a.offset}:${chunk}`;
    let local = this.chunks.get(key);
    if (local === undefined) {
      local = this.lo.frame.temp("v128");
      this.chunks.set(key, local);
      if (a.stride === a.size)
        w.localGet(b.at).memFD("v128_load", 0, a.offset - b.min + 16 * chunk);
      else this.deinterleave(a, b, chunk);
      w.localTee(local);
    } else {
      w.localGet(local);
    }
    const s = a.signed ? "s" : "u";
    if (this.width === 2) {
      if (a.size === 1) w.opFD(`i16x8_extend_${q === 0 ? "low" : "high"}_i8x16_${s}` as OpFDName);
      return;
    }
    if (a.size === 1) {
      w.opFD(`i16x8_extend_${q < 2 ? "low" : "high"}_i8x16_${s}` as OpFDName);
    }
    if (a.size <= 2) {
      w.opFD(`i32x4_extend_${q % 2 === 0 ? "low" : "high"}_i16x8_${s}` as OpFDName);
    }
  }
}

/**
 * The bytes of 16-byte vector `n` of a trip's span of a pointer: loaded once per trip.
 */
function rawKey(b: BaseInfo, n: number): string {
  return `${b.v.id}:raw:${n}`;
}

const compareOps: Record<string, [string, string]> = {
  "==": ["eq", "eq"],
  "!=": ["ne", "ne"],
  "<": ["lt_s", "lt_u"],
  "<=": ["le_s", "le_u"],
  ">": ["gt_s", "gt_u"],
  ">=": ["ge_s", "ge_u"],
};

/** The same variable or constant. */
function same(a: Expr, b: Expr): boolean {
  if (a.k === "var" && b.k === "var") return a.v === b.v;
  if (a.k === "int" && b.k === "int") return a.value === b.value;
  return false;
}

function iota(from: number): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) view.setInt32(4 * i, from + i, true);
  return bytes;
}
