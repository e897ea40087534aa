// Expression lowering: typed AST expressions to wasm instructions on a function's stack.
// Conventions: a scalar's value is its wasm value (char/short kept normalized in i32, _Bool
// 0/1); a record's or array's value is its address. `address()` pushes a base and returns a
// constant byte offset so that loads and stores can carry it in their memarg.

import type { CodeWriter, FuncType, ValType } from "../wasm/index.ts";
import { FUEL_COUNTER_MAX } from "../wasm/index.ts";
import {
  type Assign,
  assertNever,
  type Call,
  type Expr,
  type FunctionDef,
  objectAlign,
  type Stmt,
  type Var,
} from "./ast.ts";
import type { Loc } from "./diagnostics.ts";
import type { FunctionLines } from "./line-table.ts";
import { startOf } from "./line-table.ts";
import { directCallee } from "./lower-analysis.ts";
import { binary, compare, convert, unary } from "./lower-arith.ts";
import { loadBitField, storeBitField } from "./lower-bitfield.ts";
import { bitBuiltin } from "./lower-bits.ts";
import { call } from "./lower-call.ts";
import { emitGlobal, GlobalKind, type ModuleContext } from "./lower-context.ts";
import { type DivisionMagic, emitDivision } from "./lower-division.ts";
import type { FunctionFrame } from "./lower-frame.ts";
import { initialize } from "./lower-init.ts";
import { loadKey, type StorageOf } from "./lower-loads.ts";
import { checkedBase, checkedBulk, checkLocal, keepsCheck } from "./lower-null.ts";
import { splitSignedIndex } from "./lower-rebase.ts";
import {
  constInt,
  INVERSE_COMPARISON,
  intInfo,
  isBool,
  isBoolValued,
  isCompareOp,
  isTrivial,
  mayAssign,
  storedBits,
  storeWidth,
} from "./lower-shapes.ts";
import { simdCall } from "./lower-simd.ts";
import { STACK_FLOOR } from "./module.ts";
import { NullCheckingWriter } from "./null-checks.ts";
import { alignOf, isFloat, isPointer, isRecord, sizeOf, type Type, valType } from "./types.ts";

/** Where a variable lives. */
export type Storage =
  | { k: "local"; index: number } // a wasm local holding the value
  | { k: "frame"; offset: number } // fp + offset
  | { k: "ptr"; index: number } // a wasm local holding the address (record parameters)
  | { k: "global"; offset: number }; // __memory_base + offset

/** Copies of at most this many bytes are unrolled into loads and stores. */
const MAX_UNROLLED_COPY = 32;

const log2Align = (t: Type): number => {
  const a = Math.min(alignOf(t), 8);
  return a >= 8 ? 3 : a >= 4 ? 2 : a >= 2 ? 1 : 0;
};

export abstract class ExprLowerer {
  /**
   * The function body's writer, which also remembers loads (see lower-loads.ts) and which
   * pointers are null-checked (null-checks.ts).
   */
  readonly bodyWriter = new NullCheckingWriter((vt, local) => this.frame.release(vt, local));
  /** The writer code is currently emitted to. */
  w: CodeWriter = this.bodyWriter;
  /** Open wasm labels (blocks, loops, ifs); branch depth = depth - label. */
  depth = 0;
  /** The function's line table (cc/line-table.ts). */
  readonly lines: FunctionLines;

  constructor(
    readonly mod: ModuleContext,
    /** The function's locals, stack frame and variable homes. */
    readonly frame: FunctionFrame,
    name: string,
  ) {
    this.lines = mod.lines.function(name, this.bodyWriter);
  }

  /** Code emitted from here on comes from `loc` (a statement, a loop's fuel check). */
  mark(loc: Loc): void {
    this.lines.mark(this.w, loc);
  }

  /** Marks the code from here on (a trapping instruction or a call) as `e`'s, at its start. */
  markExpr(e: Expr): void {
    this.lines.mark(this.w, startOf(e));
  }

  // ---- globals and locals -------------------------------------------------------------------

  /**
   * Pointer locals a loop indexes below their address, with a local holding `p + lowest` (the
   * lowest byte offset used), so that all those accesses share one base (see lower-rebase.ts).
   */
  readonly rebased = new Map<Var, { local: number; lowest: number; of: number }>();

  /** Pushes __memory_base, from a local so hot loops do not reload the global. */
  memoryBase(): void {
    this.w.localGet(this.frame.memoryBaseLocal);
  }

  globalGet(kind: GlobalKind): void {
    emitGlobal(this.mod, this.w, false, kind);
  }

  globalSet(kind: GlobalKind): void {
    emitGlobal(this.mod, this.w, true, kind);
  }

  error(loc: Loc, message: string): void {
    this.mod.diags.error(loc, message);
  }

  /**
   * A function calling setjmp (lower-cfg.ts): its call sites, numbered from 1, and the locals
   * its frame keeps: the call's value, the invocation id, the stack pointer of its body.
   */
  setjmp: { sites: Map<Call, number>; result: number; id: number; sp: number } | undefined;

  /** Where the last variable store (`local.set`) ended, for the local.tee peephole. */
  lastSet = { w: undefined as CodeWriter | undefined, at: -1, end: -1, index: -1 };

  /** `local.set` of a variable; a `local.get` of it right after becomes a `local.tee`. */
  setLocal(index: number): void {
    const at = this.w.length;
    this.w.localSet(index);
    this.lastSet = { w: this.w, at, end: this.w.length, index };
  }

  getLocal(index: number): void {
    const last = this.lastSet;
    if (last.w === this.w && last.end === this.w.length && last.index === index) {
      this.w.bytes[last.at] = 0x22; // local.set -> local.tee: same immediate, same length
      last.end = -1;
      return;
    }
    this.w.localGet(index);
  }

  // ---- fuel ---------------------------------------------------------------------------------

  /** Charges one unit at a loop back-edge (or header); traps when the budget is exhausted. */
  chargeBackEdge(): void {
    if (!this.mod.fuel) return;
    const f = this.frame.fuelLocal;
    const w = this.w;
    w.localGet(f).i32Const(1).op("i32_sub").localTee(f).i32Const(0).op("i32_lt_s").if();
    this.refillOrTrap();
    w.end();
  }

  /**
   * The cold path of a charge that left the counter negative (or, with `costLocal`, of a
   * charge of that unsigned cost found to exceed the counter): refills the counter from the
   * budget's reserve, or traps when the budget is spent (the convention is in
   * wasm/fuel-refill.ts). `spare` units more go back into the counter for a charge that is
   * about to be made again (a loop header entered anew after its refill). Inline, without a call: a call in a loop, even on a path never
   * taken, cost the interpreter kernel ~20 % (registers spilled around it); the trap did not.
   */
  refillOrTrap(costLocal?: number, spare = 0): void {
    const f = this.frame.fuelLocal;
    const total = this.frame.temp("f64");
    const w = this.w;
    this.globalGet(GlobalKind.fuelReserve);
    w.localGet(f).op("f64_convert_i32_s").op("f64_add");
    if (costLocal !== undefined) w.localGet(costLocal).op("f64_convert_i32_u").op("f64_sub");
    w.localTee(total).f64Const(0).op("f64_lt").if();
    w.i32Const(-1);
    this.globalSet(GlobalKind.fuel);
    w.op("unreachable").end();
    w.localGet(total)
      .f64Const(FUEL_COUNTER_MAX - spare)
      .op("f64_min")
      .op("i32_trunc_f64_s");
    w.localSet(f).localGet(total).localGet(f).op("f64_convert_i32_s").op("f64_sub");
    this.globalSet(GlobalKind.fuelReserve);
    if (spare) w.localGet(f).i32Const(spare).op("i32_add").localSet(f);
    this.frame.release("f64", total);
  }

  /**
   * Gives back one unit before a loop whose header charges every iteration, so that the first
   * entry is free. The header charges right after, before anything can observe a wrapped
   * counter (at INT32_MAX), so this cannot cause a false trap.
   */
  creditFuel(): void {
    const f = this.frame.fuelLocal;
    this.w.localGet(f).i32Const(1).op("i32_add").localSet(f);
  }

  /**
   * Charges an inlined memset/memcpy/memmove for its bytes (the length on top of the stack,
   * left there): n/8 units, as the host's bulk work costs (kernel/fuel.ts), checked before the
   * bytes are touched.
   */
  chargeBulk(): void {
    if (!this.mod.fuel) return;
    const f = this.frame.fuelLocal;
    const n = this.frame.temp("i32");
    const w = this.w;
    w.localSet(n).localGet(f).localGet(n).i32Const(3).op("i32_shr_u").op("i32_sub");
    w.localTee(f).i32Const(0).op("i32_lt_s").if();
    this.refillOrTrap();
    w.end();
    w.localGet(n);
    this.frame.release("i32", n);
  }

  /** Charges one unit for a call and hands the counter to the callee. */
  chargeCall(): void {
    if (!this.mod.fuel) return;
    const f = this.frame.fuelLocal;
    const w = this.w;
    w.localGet(f).i32Const(1).op("i32_sub").localTee(f);
    this.globalSet(GlobalKind.fuel);
    w.localGet(f).i32Const(0).op("i32_lt_s").if();
    this.refillOrTrap();
    w.localGet(f);
    this.globalSet(GlobalKind.fuel); // the callee reads it
    w.end();
  }

  reloadFuel(): void {
    if (!this.mod.fuel) return;
    this.globalGet(GlobalKind.fuel);
    this.w.localSet(this.frame.fuelLocal);
  }

  // ---- memory access ------------------------------------------------------------------------

  load(t: Type, offset: number): void {
    const a = log2Align(t);
    if (t.kind === "int") {
      if (t.size === 1) this.w.mem(t.signed ? "i32_load8_s" : "i32_load8_u", 0, offset);
      else if (t.size === 2) this.w.mem(t.signed ? "i32_load16_s" : "i32_load16_u", a, offset);
      else if (t.size === 8) this.w.mem("i64_load", a, offset);
      else this.w.mem("i32_load", a, offset);
    } else if (t.kind === "float") {
      this.w.mem(t.size === 4 ? "f32_load" : "f64_load", a, offset);
    } else if (t.kind === "vector") {
      this.w.memFD("v128_load", 0, offset);
    } else {
      this.w.mem("i32_load", a, offset);
    }
  }

  store(t: Type, offset: number): void {
    const a = log2Align(t);
    if (t.kind === "int") {
      if (t.size === 1) this.w.mem("i32_store8", 0, offset);
      else if (t.size === 2) this.w.mem("i32_store16", a, offset);
      else if (t.size === 8) this.w.mem("i64_store", a, offset);
      else this.w.mem("i32_store", a, offset);
    } else if (t.kind === "float") {
      this.w.mem(t.size === 4 ? "f32_store" : "f64_store", a, offset);
    } else if (t.kind === "vector") {
      this.w.memFD("v128_store", 0, offset);
    } else {
      this.w.mem("i32_store", a, offset);
    }
  }

  /** Pushes `base + offset` as a plain address. */
  addOffset(offset: number): void {
    if (offset !== 0) this.w.i32Const(offset).op("i32_add");
  }

  /** Pushes the base of a variable's storage and returns the offset. */
  varAddress(v: Var, loc: Loc): number {
    const st = this.storageOf(v, loc);
    switch (st.k) {
      case "frame":
        this.w.localGet(this.frame.fp);
        return st.offset;
      case "ptr":
        this.w.localGet(st.index);
        return 0;
      case "global":
        this.memoryBase();
        return st.offset;
      case "local":
        this.error(loc, `internal: '${v.name}' has no address`);
        this.w.i32Const(0);
        return 0;
    }
  }

  storageOf(v: Var, loc: Loc): Storage {
    const st = this.frame.storage.get(v);
    if (st) return st;
    if (v.kind === "global") {
      const offset = this.mod.globalOffset(v);
      if (offset !== undefined) {
        const g: Storage = { k: "global", offset };
        this.frame.storage.set(v, g);
        return g;
      }
      this.error(
        loc,
        v.defined
          ? `internal: '${v.name}' has no storage`
          : `'${v.name}' is declared extern but never defined (plugins can import only functions)`,
      );
      const none: Storage = { k: "global", offset: 0 };
      this.frame.storage.set(v, none);
      return none;
    }
    // A local not listed by the parser: give it storage on first use.
    const s: Storage =
      v.addressTaken || isRecord(v.type) || v.type.kind === "array"
        ? { k: "frame", offset: this.frame.alloc(sizeOf(v.type), objectAlign(v)) }
        : { k: "local", index: this.frame.newLocal(valType(v.type)) };
    this.frame.storage.set(v, s);
    return s;
  }

  /**
   * Pushes an lvalue's (or record rvalue's) base address and returns a constant offset.
   * `access`: the address is about to be loaded from or stored to, so its base pointer is
   * null-checked; false for `&lv`, which only computes it.
   */
  address(e: Expr, access = true): number {
    switch (e.k) {
      case "var":
        return this.varAddress(e.v, e.loc);
      case "deref":
        return this.pointer(e.ptr, access);
      case "member": {
        const off = this.address(e.base, access) + e.member.offset;
        if (off <= 0x7fffffff) return off;
        this.addOffset(off);
        return 0;
      }
      case "compound":
        initialize(this, e.v, e.init, e.loc);
        return this.varAddress(e.v, e.loc);
      default:
        // A record rvalue (call result, assignment, conditional): its value is its address.
        this.expr(e);
        return 0;
    }
  }

  /**
   * Pushes a pointer value, splitting off a constant non-negative offset. `access`: it is
   * dereferenced next, so its base is null-checked (null-checks.ts).
   */
  pointer(p: Expr, access = false): number {
    if (p.k === "binary" && p.op === "+" && isPointer(p.type)) {
      const rebased = p.l.k === "var" ? this.rebased.get(p.l.v) : undefined;
      if (rebased) {
        const split = splitSignedIndex(p.r);
        if (split.offset >= rebased.lowest) {
          if (access) checkLocal(this, rebased.of);
          this.w.localGet(rebased.local);
          if (split.index) {
            this.expr(split.index);
            this.w.op("i32_add");
          }
          return split.offset - rebased.lowest;
        }
      }
      const [index, c] = splitConstant(p.r);
      const base = this.pointer(p.l, access);
      if (index) {
        this.expr(index);
        this.w.op("i32_add");
      }
      const total = base + c;
      if (total >= 0 && total <= 0x7fffffff) return total;
      this.addOffset(total);
      return 0;
    }
    if (p.k === "addr" && p.lv.type.kind !== "function") return this.address(p.lv, access);
    if (p.k === "cast" && isPointer(p.type) && isPointer(p.arg.type)) {
      return this.pointer(p.arg, access);
    }
    if (access && this.mod.nullChecks && this.w === this.bodyWriter) checkedBase(this, p);
    else this.expr(p);
    return 0;
  }

  // ---- values -------------------------------------------------------------------------------

  intConst(t: Type, v: bigint): void {
    const vt = valType(t);
    if (vt === "i64") this.w.i64Const(BigInt.asIntN(64, v));
    else if (vt === "f32") this.w.f32Const(Number(v));
    else if (vt === "f64") this.w.f64Const(Number(v));
    else this.w.i32Const(Number(BigInt.asIntN(32, v)));
  }

  zero(vt: ValType): void {
    if (vt === "i32") this.w.i32Const(0);
    else if (vt === "i64") this.w.i64Const(0n);
    else if (vt === "f32") this.w.f32Const(0);
    else if (vt === "v128") this.w.bytesFD("v128_const", new Uint8Array(16));
    else this.w.f64Const(0);
  }

  /** Pushes the value of `e` (nothing for void). */
  expr(e: Expr): void {
    const w = this.w;
    switch (e.k) {
      case "int":
        this.intConst(e.type, e.value);
        return;
      case "float":
        if (valType(e.type) === "f32") w.f32Const(e.value);
        else w.f64Const(e.value);
        return;
      case "var": {
        if (e.v.kind === "function") {
          this.functionAddress(e.v, e.loc);
          return;
        }
        const st = this.storageOf(e.v, e.loc);
        if (st.k === "local") {
          this.getLocal(st.index);
          return;
        }
        this.lvalueValue(e);
        return;
      }
      case "deref":
      case "member":
        this.lvalueValue(e);
        return;
      case "compound": {
        const st = this.storageOf(e.v, e.loc);
        initialize(this, e.v, e.init, e.loc);
        if (st.k === "local") w.localGet(st.index);
        else this.lvalueValue({ k: "var", v: e.v, type: e.type, loc: e.loc });
        return;
      }
      case "addr":
        if (e.lv.k === "var" && e.lv.v.kind === "function") this.functionAddress(e.lv.v, e.loc);
        else this.addOffset(this.address(e.lv, false));
        return;
      case "unary":
        unary(this, e.op, e.arg, e.type);
        return;
      case "binary":
        binary(this, e);
        return;
      case "logical":
        this.cond(e.l);
        if (e.op === "&&") {
          w.if("i32");
          this.depth++;
          this.bool01(e.r);
          w.else().i32Const(0).end();
        } else {
          w.if("i32");
          this.depth++;
          w.i32Const(1).else();
          this.bool01(e.r);
          w.end();
        }
        this.depth--;
        return;
      case "cond":
        this.conditional(e.c, e.t, e.f, e.type, true);
        return;
      case "comma":
        this.effect(e.l);
        this.expr(e.r);
        return;
      case "assign":
        this.assign(e, true);
        return;
      case "cast":
        if (e.type.kind === "void") {
          this.effect(e.arg);
          return;
        }
        if (isBool(e.type) && isBoolValued(e.arg)) {
          this.expr(e.arg);
          return;
        }
        if (e.arg.k === "int" && !isFloat(e.type) && e.type.kind !== "int") {
          this.intConst(e.type, e.arg.value);
          return;
        }
        this.expr(e.arg);
        convert(this, e.arg.type, e.type);
        return;
      case "call":
        call(this, e, true);
        return;
      case "stmtexpr":
        this.stmtList(e.body);
        if (e.value) this.expr(e.value);
        return;
      default:
        assertNever(e);
    }
  }

  /** Where a variable lives, without creating storage (for load keys). */
  readonly keyStorage: StorageOf = (e) => {
    const st = this.frame.storage.get(e.v);
    if (st || e.v.kind !== "global") return st;
    const offset = this.mod.globalOffset(e.v);
    return offset === undefined ? undefined : { k: "global", offset };
  };

  /** Loads a scalar lvalue, or pushes the address of a record/array one. */
  lvalueValue(e: Expr): void {
    const scalar = !isRecord(e.type) && e.type.kind !== "array" && e.type.kind !== "function";
    if (scalar && this.w === this.bodyWriter) {
      const deps: number[] = [];
      const key = loadKey(e, this.keyStorage, deps);
      if (key !== undefined) {
        const known = this.bodyWriter.lookup(key);
        if (known !== undefined) {
          this.w.localGet(known);
          return;
        }
        if (e.k === "member" && e.member.bits) loadBitField(this, e);
        else {
          const at = this.address(e);
          this.markExpr(e);
          this.load(e.type, at);
        }
        const vt = valType(e.type);
        const t = this.frame.temp(vt);
        this.w.localTee(t);
        this.bodyWriter.remember(key, t, vt, deps);
        return;
      }
    }
    if (e.k === "member" && e.member.bits) {
      loadBitField(this, e);
      return;
    }
    const off = this.address(e);
    if (isRecord(e.type) || e.type.kind === "array" || e.type.kind === "function") {
      this.addOffset(off);
    } else {
      this.markExpr(e);
      this.load(e.type, off);
    }
  }

  functionAddress(v: Var, loc: Loc): void {
    const slot = this.mod.tableSlot(v);
    if (slot === undefined) {
      this.error(loc, `internal: no table slot for '${v.name}'`);
      this.w.i32Const(0);
      return;
    }
    this.globalGet(GlobalKind.tableBase);
    this.addOffset(slot);
  }

  /** Statements in an expression (a statement expression's body): FunctionLowerer's. */
  abstract stmtList(list: Stmt[]): void;

  /** Evaluates `e` for its side effects only. */
  effect(e: Expr): void {
    switch (e.k) {
      case "int":
      case "float":
      case "var":
        return;
      case "assign":
        this.assign(e, false);
        return;
      case "call":
        if (call(this, e, false)) this.w.op("drop");
        return;
      case "comma":
        this.effect(e.l);
        this.effect(e.r);
        return;
      case "stmtexpr":
        this.stmtList(e.body);
        if (e.value) this.effect(e.value);
        return;
      case "cast":
        this.effect(e.arg);
        return;
      case "cond":
        this.conditional(e.c, e.t, e.f, e.type, false);
        return;
      case "logical":
        if (e.op === "&&") this.cond(e.l);
        else this.condNot(e.l);
        this.w.if();
        this.depth++;
        this.effect(e.r);
        this.w.end();
        this.depth--;
        return;
      case "addr":
        if (e.lv.k !== "var") {
          this.addOffset(this.address(e.lv, false));
          this.w.op("drop");
        }
        return;
      default:
        this.expr(e);
        if (e.type.kind !== "void") this.w.op("drop");
    }
  }

  /** Pushes an i32 that is non-zero iff `e` is true. */
  cond(e: Expr): void {
    if (e.k === "cast") {
      // Widening or bool conversions keep the truth value: test the operand directly.
      const from = e.arg.type;
      const keeps =
        isBool(e.type) ||
        (valType(e.type) === "i32" &&
          valType(from) === "i32" &&
          intInfo(e.type).size >= intInfo(from).size);
      if (keeps) {
        this.cond(e.arg);
        return;
      }
    }
    if (valType(e.type) === "i32") {
      this.expr(e);
      return;
    }
    this.expr(e);
    this.testNonZero(e.type);
  }

  /** Pushes an i32 that is non-zero iff `e` is false. */
  condNot(e: Expr): void {
    if (e.k === "unary" && e.op === "!") {
      this.cond(e.arg);
      return;
    }
    if (e.k === "binary" && isCompareOp(e.op) && !isFloat(e.l.type)) {
      compare(this, INVERSE_COMPARISON[e.op]!, e.l, e.r);
      return;
    }
    this.cond(e);
    this.w.op("i32_eqz");
  }

  /** Pushes 0 or 1. */
  bool01(e: Expr): void {
    if (isBoolValued(e)) {
      this.expr(e);
      return;
    }
    this.expr(e);
    this.testNonZero(e.type);
  }

  testNonZero(t: Type): void {
    const vt = valType(t);
    if (vt === "i32") this.w.i32Const(0).op("i32_ne");
    else if (vt === "i64") this.w.op("i64_eqz").op("i32_eqz");
    else if (vt === "f32") this.w.f32Const(0).op("f32_ne");
    else this.w.f64Const(0).op("f64_ne");
  }

  conditional(c: Expr, t: Expr, f: Expr, type: Type, want: boolean): void {
    const k = constInt(c);
    if (k !== undefined) {
      const chosen = k !== 0n ? t : f;
      if (want) this.expr(chosen);
      else this.effect(chosen);
      return;
    }
    const vt = type.kind === "void" || !want ? undefined : valType(type);
    if (vt && isTrivial(t) && isTrivial(f) && !mayAssign(c)) {
      this.expr(t);
      this.expr(f);
      this.cond(c);
      this.w.op("select");
      return;
    }
    this.cond(c);
    this.w.if(vt ?? "void");
    this.depth++;
    if (vt) this.expr(t);
    else this.effect(t);
    this.w.else();
    if (vt) this.expr(f);
    else this.effect(f);
    this.w.end();
    this.depth--;
  }

  /** `l / d` or `l % d` for a constant d > 2 that is not a power of two. */
  divideByConstant(
    l: Expr,
    d: number,
    magic: DivisionMagic,
    signed: boolean,
    remainder: boolean,
  ): void {
    const w = this.w;
    const x = this.frame.temp("i32");
    let wide = -1;
    this.expr(l);
    if (remainder) w.localTee(x);
    emitDivision(w, magic, signed, x, () => {
      wide = this.frame.temp("i64");
      return wide;
    });
    if (remainder) {
      // x - q * d, with q on the stack
      const q = this.frame.temp("i32");
      w.localSet(q)
        .localGet(x)
        .localGet(q)
        .i32Const(d | 0)
        .op("i32_mul")
        .op("i32_sub");
      this.frame.release("i32", q);
    }
    this.frame.release("i32", x);
    if (wide >= 0) this.frame.release("i64", wide);
  }

  // ---- assignment and records ---------------------------------------------------------------

  assign(e: Assign, want: boolean): void {
    const { lv, value } = e;
    if (isRecord(lv.type)) {
      const dst = this.addressInLocal(lv);
      const src = this.addressInLocal(value);
      this.markExpr(e);
      this.copyBytes(dst, src, sizeOf(lv.type), alignOf(lv.type));
      if (src.temp) this.frame.release("i32", src.local);
      if (want) {
        this.w.localGet(dst.local);
        this.addOffset(dst.offset);
      }
      if (dst.temp) this.frame.release("i32", dst.local);
      return;
    }
    if (lv.k === "member" && lv.member.bits) {
      storeBitField(this, lv, value, want, e);
      return;
    }
    if (lv.k === "var") {
      const st = this.storageOf(lv.v, lv.loc);
      if (st.k === "local") {
        const keep = this.mod.nullChecks && keepsCheck(this, lv.v, st.index, value);
        this.expr(value);
        if (want) this.w.localTee(st.index);
        else this.setLocal(st.index);
        if (keep) this.bodyWriter.markChecked(st.index);
        return;
      }
    }
    const off = this.address(lv);
    if (!want) {
      this.storedValue(value, lv.type);
      this.markExpr(e);
      this.store(lv.type, off);
      return;
    }
    this.expr(value);
    const vt = valType(lv.type);
    const t = this.frame.temp(vt);
    this.w.localTee(t);
    this.markExpr(e);
    this.store(lv.type, off);
    this.w.localGet(t);
    this.frame.release(vt, t);
  }

  /**
   * Pushes the bits a store of type `t` keeps of `e`. A narrow store truncates, so narrowing
   * casts in front of it are dropped, also those of an inlined single-expression callee
   * (`q[i] = luma(...)` with `luma` returning `(uint8_t)(...)`).
   */
  storedValue(e: Expr, t: Type): void {
    const bits = storedBits(e, t);
    if (bits.k === "call" && storeWidth(t) < 4) {
      const callee = directCallee(bits.callee);
      const def = callee && !this.mod.intrinsic(callee) ? this.mod.inlineDef(callee) : undefined;
      if (def) {
        this.inlineCall(def, bits, true, t);
        return;
      }
    }
    this.expr(bits);
  }

  /** An address held in a local (the frame pointer, a record parameter, or a temporary). */
  addressInLocal(e: Expr): { local: number; offset: number; temp: boolean } {
    if (e.k === "var" && e.v.kind !== "function") {
      const st = this.storageOf(e.v, e.loc);
      if (st.k === "frame") return { local: this.frame.fp, offset: st.offset, temp: false };
      if (st.k === "ptr") return { local: st.index, offset: 0, temp: false };
    }
    const offset = this.address(e);
    const local = this.frame.temp("i32");
    this.w.localSet(local);
    return { local, offset, temp: true };
  }

  /** Copies `size` bytes between two addresses held in locals. */
  copyBytes(
    dst: { local: number; offset: number },
    src: { local: number; offset: number },
    size: number,
    align: number,
  ): void {
    const w = this.w;
    if (size <= MAX_UNROLLED_COPY && align >= 4) {
      let at = 0;
      for (; at + 8 <= size && align >= 8; at += 8) {
        w.localGet(dst.local)
          .localGet(src.local)
          .mem("i64_load", 3, src.offset + at);
        w.mem("i64_store", 3, dst.offset + at);
      }
      for (; at + 4 <= size; at += 4) {
        w.localGet(dst.local)
          .localGet(src.local)
          .mem("i32_load", 2, src.offset + at);
        w.mem("i32_store", 2, dst.offset + at);
      }
      if (at === size) return;
    }
    w.localGet(dst.local);
    this.addOffset(dst.offset);
    w.localGet(src.local);
    this.addOffset(src.offset);
    w.i32Const(size).memoryCopy();
  }

  // ---- calls --------------------------------------------------------------------------------

  intrinsicCall(
    intrinsic: NonNullable<ReturnType<ModuleContext["intrinsic"]>>,
    e: Call,
    want: boolean,
  ): boolean {
    const w = this.w;
    const [a0, a1, a2] = e.args;
    if (intrinsic.kind === "simd") return simdCall(this, intrinsic.entry, e, want);
    if (intrinsic.kind === "setjmp") {
      // At its re-entry point: the value the save left (0) or longjmp's; the save itself is
      // lowered by lower-cfg.ts.
      const sj = this.setjmp;
      if (!sj?.sites.has(e)) {
        this.error(
          e.loc,
          "setjmp may only be the whole controlling expression of if, while, for, do or switch, " +
            "or of an expression statement, alone, negated, compared with a constant or " +
            "assigned to a variable (C11 7.13.1.1)",
        );
        if (want) w.i32Const(0);
        return want;
      }
      if (want) w.localGet(sj.result);
      return want;
    }
    if (intrinsic.kind === "unary") {
      this.expr(a0!);
      w.op(intrinsic.op);
      if (!want) w.op("drop");
      return want;
    }
    if (intrinsic.kind === "bits") {
      this.expr(a0!);
      bitBuiltin(w, this.frame, intrinsic.op, intrinsic.wide);
      if (!want) w.op("drop");
      return want;
    }
    if (intrinsic.kind === "alloca") {
      this.alloca(a0!, e);
      if (!want) w.op("drop");
      return want;
    }
    if (this.mod.nullChecks && this.w === this.bodyWriter) {
      checkedBulk(this, intrinsic.kind === "copy", a0!, a1!, a2!, want);
      return want;
    }
    let dest = -1;
    this.expr(a0!);
    if (want) {
      dest = this.frame.temp("i32");
      w.localTee(dest);
    }
    this.expr(a1!);
    this.expr(a2!);
    this.markExpr(e);
    this.chargeBulk();
    if (intrinsic.kind === "copy") w.memoryCopy();
    else w.memoryFill();
    if (dest >= 0) {
      w.localGet(dest);
      this.frame.release("i32", dest);
    }
    return want;
  }

  /**
   * alloca(n): moves the stack pointer down by n rounded up to 16 and pushes it. A request
   * beyond the room left above STACK_FLOOR traps as stack exhaustion, like a prologue's check
   * (whatever n is: never host memory), and the function's epilogue restores the pointer.
   */
  private alloca(size: Expr, call: Call): void {
    const w = this.w;
    this.frame.usesAlloca = true;
    const n = this.frame.temp("i32");
    this.expr(size);
    w.localSet(n);
    this.markExpr(call);
    w.localGet(n);
    this.globalGet(GlobalKind.stackPointer);
    w.i32Const(STACK_FLOOR).op("i32_sub").op("i32_gt_u").if().op("unreachable").end();
    // n <= sp - STACK_FLOOR, a multiple of 16: rounding n up cannot cross the floor.
    this.globalGet(GlobalKind.stackPointer);
    w.localGet(n).i32Const(15).op("i32_add").i32Const(-16).op("i32_and").op("i32_sub");
    w.localTee(n);
    this.globalSet(GlobalKind.stackPointer);
    w.localGet(n);
    this.frame.release("i32", n);
  }

  /**
   * Expands a call to `def` in place; returns whether a value was pushed. `storeAs`: the value
   * only feeds a store of that type, so its narrowing casts may be dropped (see storedBits).
   */
  abstract inlineCall(def: FunctionDef, e: Call, want: boolean, storeAs?: Type): boolean;
}

/** Splits an index expression `x + c` or `(x + c) * k` into `x` (or `x * k`) and a constant. */
function splitConstant(e: Expr): [Expr | undefined, number] {
  if (e.k === "int") return [undefined, Number(BigInt.asIntN(32, e.value))];
  if (e.k === "binary" && e.op === "+" && e.r.k === "int" && valType(e.type) === "i32") {
    const c = Number(BigInt.asIntN(32, e.r.value));
    if (c > 0) return [e.l, c];
  }
  if (
    e.k === "binary" &&
    e.op === "*" &&
    e.r.k === "int" &&
    e.l.k === "binary" &&
    e.l.op === "+" &&
    e.l.r.k === "int" &&
    valType(e.type) === "i32"
  ) {
    const k = Number(BigInt.asIntN(32, e.r.value));
    const c = Number(BigInt.asIntN(32, e.l.r.value));
    if (c > 0 && k > 0 && c * k <= 0x7fffffff) {
      const scaled: Expr = { ...e, l: e.l.l };
      return [scaled, c * k];
    }
  }
  return [e, 0];
}

export type { FuncType };
