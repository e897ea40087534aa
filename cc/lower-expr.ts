// Expression lowering: typed AST expressions to wasm instructions on a function's stack.
// Conventions: a scalar's value is its wasm value (char/short kept normalized in i32, _Bool
// 0/1); a record's or array's value is its address. `address()` pushes a base and returns a
// constant byte offset so that loads and stores can carry it in their memarg.

import type { CodeWriter, FuncType, OpName, ValType } from "../wasm/index.ts";
import type { Assign, Binary, Call, Expr, FunctionDef, Initializer, Var } from "./ast.ts";
import type { Loc } from "./diagnostics.ts";
import { directCallee } from "./lower-analysis.ts";
import { emitGlobal, GlobalKind, type ModuleContext, wasmSignature } from "./lower-context.ts";
import { type DivisionMagic, divisionMagic, emitDivision } from "./lower-division.ts";
import { LoadCachingWriter, loadKey, type StorageOf } from "./lower-loads.ts";
import { splitSignedIndex } from "./lower-rebase.ts";
import {
  alignOf,
  alignTo,
  isFloat,
  isPointer,
  isRecord,
  isSigned,
  sizeOf,
  type Type,
  valType,
} from "./types.ts";

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

interface IntInfo {
  size: number;
  signed: boolean;
}

function intInfo(t: Type): IntInfo {
  if (t.kind === "int") return { size: t.name === "_Bool" ? 0 : t.size, signed: t.signed };
  if (t.kind === "enum") return { size: 4, signed: true };
  return { size: 4, signed: false }; // pointers
}

const isBool = (t: Type) => t.kind === "int" && t.name === "_Bool";
const INVERSE_COMPARISON: Record<string, string> = {
  "==": "!=",
  "!=": "==",
  "<": ">=",
  ">=": "<",
  ">": "<=",
  "<=": ">",
};
const COMPARISON_NAME: Record<string, string> = {
  "==": "eq",
  "!=": "ne",
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
};

const isCompareOp = (op: string) =>
  op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=";

/** Expressions whose value is already 0 or 1. */
function isBoolValued(e: Expr): boolean {
  return (
    (e.k === "binary" && isCompareOp(e.op)) ||
    e.k === "logical" ||
    (e.k === "unary" && e.op === "!") ||
    isBool(e.type)
  );
}

function constInt(e: Expr): bigint | undefined {
  return e.k === "int" ? e.value : undefined;
}

/**
 * Cheap, free of side effects and unable to trap: safe to evaluate unconditionally, so a
 * conditional between two of them becomes `select` (a cmov, no unpredictable branch).
 */
function isTrivial(e: Expr, budget = 4): boolean {
  if (budget <= 0) return false;
  switch (e.k) {
    case "int":
    case "float":
      return true;
    case "var":
      return (
        e.v.kind !== "global" && e.v.kind !== "function" && !e.v.addressTaken && !isRecord(e.type)
      );
    case "cast":
      return !isFloat(e.arg.type) && !isFloat(e.type) && isTrivial(e.arg, budget - 1);
    case "unary":
      return e.op !== "!" && isTrivial(e.arg, budget - 1);
    case "binary":
      return (
        e.op !== "/" &&
        e.op !== "%" &&
        !isCompareOp(e.op) &&
        isTrivial(e.l, budget - 1) &&
        isTrivial(e.r, budget - 2)
      );
    default:
      return false;
  }
}

export abstract class ExprLowerer {
  /** The function body's writer, which also remembers loads (see lower-loads.ts). */
  readonly bodyWriter = new LoadCachingWriter((vt, local) => this.release(vt, local));
  /** The writer code is currently emitted to. */
  w: CodeWriter = this.bodyWriter;
  /** Types of all locals after the parameters. */
  readonly localTypes: ValType[] = [];
  readonly storage = new Map<Var, Storage>();
  /** Open wasm labels (blocks, loops, ifs); branch depth = depth - label. */
  depth = 0;
  frameSize = 0;
  private fpIndex = -1;
  private fuelIndex = -1;
  private readonly freeTemps: Record<ValType, number[]> = { i32: [], i64: [], f32: [], f64: [] };

  constructor(
    readonly mod: ModuleContext,
    readonly paramTypes: ValType[],
  ) {}

  // ---- locals, frame, globals -------------------------------------------------------------

  newLocal(t: ValType): number {
    this.localTypes.push(t);
    return this.paramTypes.length + this.localTypes.length - 1;
  }

  temp(t: ValType): number {
    return this.freeTemps[t].pop() ?? this.newLocal(t);
  }

  release(t: ValType, index: number): void {
    this.freeTemps[t].push(index);
  }

  get hasFrame(): boolean {
    return this.fpIndex >= 0;
  }

  /** The frame pointer local (the frame is created on first use). */
  get fp(): number {
    if (this.fpIndex < 0) this.fpIndex = this.newLocal("i32");
    return this.fpIndex;
  }

  /**
   * Pointer locals a loop indexes below their address, with a local holding `p + lowest` (the
   * lowest byte offset used), so that all those accesses share one base (see lower-rebase.ts).
   */
  readonly rebased = new Map<Var, { local: number; lowest: number }>();

  /** The local caching __memory_base (loaded in the prologue), or -1 if unused. */
  memoryBaseLocal = -1;

  /** Pushes __memory_base, from a local so hot loops do not reload the global. */
  memoryBase(): void {
    if (this.memoryBaseLocal < 0) this.memoryBaseLocal = this.newLocal("i32");
    this.w.localGet(this.memoryBaseLocal);
  }

  get usesFuel(): boolean {
    return this.fuelIndex >= 0;
  }

  get fuelLocal(): number {
    if (this.fuelIndex < 0) this.fuelIndex = this.newLocal("i32");
    return this.fuelIndex;
  }

  allocFrame(size: number, align: number): number {
    void this.fp;
    this.frameSize = alignTo(this.frameSize, Math.max(1, align));
    const at = this.frameSize;
    this.frameSize += Math.max(size, 0);
    return at;
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

  /** Where the last variable store (`local.set`) ended, for the local.tee peephole. */
  private lastSet = { w: undefined as CodeWriter | undefined, at: -1, end: -1, index: -1 };

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
    const f = this.fuelLocal;
    const w = this.w;
    w.localGet(f).i32Const(1).op("i32_sub").localTee(f).i32Const(0).op("i32_lt_s").if();
    w.localGet(f);
    this.globalSet(GlobalKind.fuel);
    w.op("unreachable").end();
  }

  /**
   * Gives back one unit before a loop whose header charges every iteration, so that the first
   * entry is free. The header charges right after, before anything can observe a wrapped
   * counter (at INT32_MAX), so this cannot cause a false trap.
   */
  creditFuel(): void {
    const f = this.fuelLocal;
    this.w.localGet(f).i32Const(1).op("i32_add").localSet(f);
  }

  /**
   * Charges an inlined memset/memcpy/memmove for its bytes (the length on top of the stack,
   * left there): n/8 units, as the host's bulk work costs (kernel/fuel.ts), checked before the
   * bytes are touched.
   */
  private chargeBulk(): void {
    if (!this.mod.fuel) return;
    const f = this.fuelLocal;
    const n = this.temp("i32");
    const w = this.w;
    w.localSet(n).localGet(f).localGet(n).i32Const(3).op("i32_shr_u").op("i32_sub");
    w.localTee(f).i32Const(0).op("i32_lt_s").if();
    w.localGet(f);
    this.globalSet(GlobalKind.fuel);
    w.op("unreachable").end();
    w.localGet(n);
    this.release("i32", n);
  }

  /** Charges one unit for a call and hands the counter to the callee. */
  private chargeCall(): void {
    if (!this.mod.fuel) return;
    const f = this.fuelLocal;
    const w = this.w;
    w.localGet(f).i32Const(1).op("i32_sub").localTee(f);
    this.globalSet(GlobalKind.fuel);
    w.localGet(f).i32Const(0).op("i32_lt_s").if().op("unreachable").end();
  }

  private reloadFuel(): void {
    if (!this.mod.fuel) return;
    this.globalGet(GlobalKind.fuel);
    this.w.localSet(this.fuelLocal);
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
        this.w.localGet(this.fp);
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
    const st = this.storage.get(v);
    if (st) return st;
    if (v.kind === "global") {
      const offset = this.mod.globalOffset(v);
      if (offset !== undefined) {
        const g: Storage = { k: "global", offset };
        this.storage.set(v, g);
        return g;
      }
      this.error(
        loc,
        v.defined
          ? `internal: '${v.name}' has no storage`
          : `'${v.name}' is declared extern but never defined (plugins can import only functions)`,
      );
      const none: Storage = { k: "global", offset: 0 };
      this.storage.set(v, none);
      return none;
    }
    // A local not listed by the parser: give it storage on first use.
    const s: Storage =
      v.addressTaken || isRecord(v.type) || v.type.kind === "array"
        ? { k: "frame", offset: this.allocFrame(sizeOf(v.type), alignOf(v.type)) }
        : { k: "local", index: this.newLocal(valType(v.type)) };
    this.storage.set(v, s);
    return s;
  }

  /** Pushes an lvalue's (or record rvalue's) base address and returns a constant offset. */
  address(e: Expr): number {
    switch (e.k) {
      case "var":
        return this.varAddress(e.v, e.loc);
      case "deref":
        return this.pointer(e.ptr);
      case "member": {
        const off = this.address(e.base) + e.member.offset;
        if (off <= 0x7fffffff) return off;
        this.addOffset(off);
        return 0;
      }
      case "compound":
        this.initialize(e.v, e.init, e.loc);
        return this.varAddress(e.v, e.loc);
      default:
        // A record rvalue (call result, assignment, conditional): its value is its address.
        this.expr(e);
        return 0;
    }
  }

  /** Pushes a pointer value, splitting off a constant non-negative offset. */
  pointer(p: Expr): number {
    if (p.k === "binary" && p.op === "+" && isPointer(p.type)) {
      const rebased = p.l.k === "var" ? this.rebased.get(p.l.v) : undefined;
      if (rebased) {
        const split = splitSignedIndex(p.r);
        if (split.offset >= rebased.lowest) {
          this.w.localGet(rebased.local);
          if (split.index) {
            this.expr(split.index);
            this.w.op("i32_add");
          }
          return split.offset - rebased.lowest;
        }
      }
      const [index, c] = splitConstant(p.r);
      const base = this.pointer(p.l);
      if (index) {
        this.expr(index);
        this.w.op("i32_add");
      }
      const total = base + c;
      if (total >= 0 && total <= 0x7fffffff) return total;
      this.addOffset(total);
      return 0;
    }
    if (p.k === "addr" && p.lv.type.kind !== "function") return this.address(p.lv);
    if (p.k === "cast" && isPointer(p.type) && isPointer(p.arg.type)) return this.pointer(p.arg);
    this.expr(p);
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
        this.initialize(e.v, e.init, e.loc);
        if (st.k === "local") w.localGet(st.index);
        else this.lvalueValue({ k: "var", v: e.v, type: e.type, loc: e.loc });
        return;
      }
      case "addr":
        if (e.lv.k === "var" && e.lv.v.kind === "function") this.functionAddress(e.lv.v, e.loc);
        else this.addOffset(this.address(e.lv));
        return;
      case "unary":
        this.unary(e.op, e.arg, e.type);
        return;
      case "binary":
        this.binary(e);
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
        this.convert(e.arg.type, e.type);
        return;
      case "call":
        this.call(e, true);
        return;
    }
  }

  /** Where a variable lives, without creating storage (for load keys). */
  private readonly keyStorage: StorageOf = (e) => {
    const st = this.storage.get(e.v);
    if (st || e.v.kind !== "global") return st;
    const offset = this.mod.globalOffset(e.v);
    return offset === undefined ? undefined : { k: "global", offset };
  };

  /** Loads a scalar lvalue, or pushes the address of a record/array one. */
  private lvalueValue(e: Expr): void {
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
        this.load(e.type, this.address(e));
        const vt = valType(e.type);
        const t = this.temp(vt);
        this.w.localTee(t);
        this.bodyWriter.remember(key, t, vt, deps);
        return;
      }
    }
    const off = this.address(e);
    if (isRecord(e.type) || e.type.kind === "array" || e.type.kind === "function") {
      this.addOffset(off);
    } else {
      this.load(e.type, off);
    }
  }

  private functionAddress(v: Var, loc: Loc): void {
    const slot = this.mod.tableSlot(v);
    if (slot === undefined) {
      this.error(loc, `internal: no table slot for '${v.name}'`);
      this.w.i32Const(0);
      return;
    }
    this.globalGet(GlobalKind.tableBase);
    this.addOffset(slot);
  }

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
        if (this.call(e, false)) this.w.op("drop");
        return;
      case "comma":
        this.effect(e.l);
        this.effect(e.r);
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
          this.addOffset(this.address(e.lv));
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
      this.compare(INVERSE_COMPARISON[e.op]!, e.l, e.r);
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

  private testNonZero(t: Type): void {
    const vt = valType(t);
    if (vt === "i32") this.w.i32Const(0).op("i32_ne");
    else if (vt === "i64") this.w.op("i64_eqz").op("i32_eqz");
    else if (vt === "f32") this.w.f32Const(0).op("f32_ne");
    else this.w.f64Const(0).op("f64_ne");
  }

  private conditional(c: Expr, t: Expr, f: Expr, type: Type, want: boolean): void {
    const k = constInt(c);
    if (k !== undefined) {
      const chosen = k !== 0n ? t : f;
      if (want) this.expr(chosen);
      else this.effect(chosen);
      return;
    }
    const vt = type.kind === "void" || !want ? undefined : valType(type);
    if (vt && isTrivial(t) && isTrivial(f)) {
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

  private unary(op: "-" | "~" | "!", arg: Expr, type: Type): void {
    const w = this.w;
    if (op === "!") {
      // condNot yields 0/1 except when it strips a double negation: normalize that case.
      if (arg.k === "unary" && arg.op === "!") {
        this.cond(arg.arg);
        w.op("i32_eqz").op("i32_eqz");
      } else {
        this.condNot(arg);
      }
      return;
    }
    const vt = valType(type);
    if (op === "-") {
      if (vt === "f32" || vt === "f64") {
        this.expr(arg);
        w.op(vt === "f32" ? "f32_neg" : "f64_neg");
        return;
      }
      this.zero(vt);
      this.expr(arg);
      w.op(vt === "i64" ? "i64_sub" : "i32_sub");
      return;
    }
    this.expr(arg);
    if (vt === "i64") w.i64Const(-1n).op("i64_xor");
    else w.i32Const(-1).op("i32_xor");
  }

  private compare(op: string, l: Expr, r: Expr): void {
    const t = l.type;
    const vt = valType(t);
    const float = vt === "f32" || vt === "f64";
    if ((op === "==" || op === "!=") && !float && constInt(r) === 0n) {
      this.expr(l);
      this.w.op(vt === "i64" ? "i64_eqz" : "i32_eqz");
      if (op === "!=") this.w.op("i32_eqz");
      return;
    }
    this.expr(l);
    this.expr(r);
    let name = `${vt}_${COMPARISON_NAME[op]}`;
    if (!float && op !== "==" && op !== "!=") name += isSigned(t) ? "_s" : "_u";
    this.w.op(name as OpName);
  }

  private binary(e: Binary): void {
    const { op, l, r } = e;
    if (isCompareOp(op)) {
      this.compare(op, l, r);
      return;
    }
    if (op === "+" && isPointer(e.type)) {
      this.addOffset(this.pointer(e));
      return;
    }
    const vt = valType(e.type);
    const w = this.w;
    if ((op === "|" || op === "^" || op === "+") && this.rotate(l, r, vt)) return;
    if ((op === "+" || op === "-") && vt === "i32" && this.postIncrement(l, r, op)) return;
    const rc = constInt(r);
    if (
      rc === 0n &&
      (op === "+" || op === "-" || op === "|" || op === "^" || op === "<<" || op === ">>")
    ) {
      this.expr(l);
      return;
    }
    if (rc === 1n && (op === "*" || op === "/") && !isFloat(e.type)) {
      this.expr(l);
      return;
    }
    const signed = isSigned(e.type);
    if ((op === "/" || op === "%") && vt === "i32" && rc !== undefined) {
      const magic = divisionMagic(Number(BigInt.asUintN(32, rc)), signed);
      if (magic && (!signed || rc > 0n)) {
        this.divideByConstant(l, Number(rc), magic, signed, op === "%");
        return;
      }
    }
    this.expr(l);
    this.expr(r);
    if (op === "<<" || op === ">>") {
      const rv = valType(r.type);
      if (vt === "i64" && rv === "i32") w.op("i64_extend_i32_u");
      else if (vt === "i32" && rv === "i64") w.op("i32_wrap_i64");
      w.op(`${vt}_${op === "<<" ? "shl" : signed ? "shr_s" : "shr_u"}` as OpName);
      return;
    }
    const float = vt === "f32" || vt === "f64";
    let name: string;
    switch (op) {
      case "+":
        name = "add";
        break;
      case "-":
        name = "sub";
        break;
      case "*":
        name = "mul";
        break;
      case "/":
        name = float ? "div" : signed ? "div_s" : "div_u";
        break;
      case "%":
        name = signed ? "rem_s" : "rem_u";
        break;
      case "&":
        name = "and";
        break;
      case "|":
        name = "or";
        break;
      default:
        name = "xor";
    }
    w.op(`${vt}_${name}` as OpName);
  }

  /**
   * `(x << k) | (x >> (width - k))` with an unsigned right shift (or `^`, `+`: the bits do not
   * overlap) is a rotation: one `rotl` evaluating `x` once, which V8 cannot always see itself
   * (`x` a memory load, say, read twice).
   */
  private rotate(l: Expr, r: Expr, vt: ValType): boolean {
    if (vt !== "i32" && vt !== "i64") return false;
    if (l.k !== "binary" || r.k !== "binary") return false;
    const [left, right] = l.op === ">>" ? [r, l] : [l, r];
    if (left.k !== "binary" || right.k !== "binary") return false;
    if (left.op !== "<<" || right.op !== ">>" || isSigned(right.type)) return false;
    if (valType(left.type) !== vt || valType(right.type) !== vt) return false;
    const a = constInt(left.r);
    const b = constInt(right.r);
    const width = vt === "i32" ? 32n : 64n;
    if (a === undefined || b === undefined || a <= 0n || b <= 0n || a + b !== width) return false;
    if (!sameValue(left.l, right.l, 8)) return false;
    this.expr(left.l);
    if (vt === "i32") this.w.i32Const(Number(a)).op("i32_rotl");
    else this.w.i64Const(a).op("i64_rotl");
    return true;
  }

  /**
   * `x++` arrives as `(x = x + k) - k`: for an i32 local, push the old value and update the
   * local instead of recomputing the old value from the new one.
   */
  private postIncrement(l: Expr, r: Expr, op: "+" | "-"): boolean {
    if (l.k !== "assign" || l.lv.k !== "var" || r.k !== "int") return false;
    const update = l.value;
    if (update.k !== "binary" || update.l.k !== "var" || update.l.v !== l.lv.v) return false;
    if (update.op !== (op === "-" ? "+" : "-") || update.r.k !== "int") return false;
    if (update.r.value !== r.value || valType(update.type) !== "i32") return false;
    const st = this.storage.get(l.lv.v);
    if (st?.k !== "local") return false;
    const k = Number(BigInt.asIntN(32, r.value));
    this.w.localGet(st.index).localGet(st.index).i32Const(k);
    this.w.op(update.op === "+" ? "i32_add" : "i32_sub").localSet(st.index);
    return true;
  }

  /** `l / d` or `l % d` for a constant d > 2 that is not a power of two. */
  private divideByConstant(
    l: Expr,
    d: number,
    magic: DivisionMagic,
    signed: boolean,
    remainder: boolean,
  ): void {
    const w = this.w;
    const x = this.temp("i32");
    let wide = -1;
    this.expr(l);
    if (remainder) w.localTee(x);
    emitDivision(w, magic, signed, x, () => {
      wide = this.temp("i64");
      return wide;
    });
    if (remainder) {
      // x - q * d, with q on the stack
      const q = this.temp("i32");
      w.localSet(q)
        .localGet(x)
        .localGet(q)
        .i32Const(d | 0)
        .op("i32_mul")
        .op("i32_sub");
      this.release("i32", q);
    }
    this.release("i32", x);
    if (wide >= 0) this.release("i64", wide);
  }

  /** Converts the scalar on the stack from one C type to another. */
  convert(from: Type, to: Type): void {
    const w = this.w;
    const fv = valType(from);
    const tv = valType(to);
    if (isBool(to)) {
      if (!isBool(from)) this.testNonZero(from);
      return;
    }
    if (fv === "f32" || fv === "f64") {
      if (tv === "f32" || tv === "f64") {
        if (fv !== tv) w.op(tv === "f64" ? "f64_promote_f32" : "f32_demote_f64");
        return;
      }
      const ti = intInfo(to);
      if (tv === "i64") {
        w.opFC(`i64_trunc_sat_${fv}_${ti.signed ? "s" : "u"}`);
        return;
      }
      if (ti.size >= 4) {
        w.opFC(`i32_trunc_sat_${fv}_${ti.signed ? "s" : "u"}`);
        return;
      }
      w.opFC(`i32_trunc_sat_${fv}_s`);
      this.narrow(ti, { size: 4, signed: true });
      return;
    }
    const fi = intInfo(from);
    if (tv === "f32" || tv === "f64") {
      w.op(`${tv}_convert_${fv}_${fi.signed ? "s" : "u"}` as OpName);
      return;
    }
    if (fv === "i64" && tv === "i32") {
      w.op("i32_wrap_i64");
      this.narrow(intInfo(to), { size: 4, signed: true });
    } else if (fv === "i32" && tv === "i64") {
      w.op(fi.signed ? "i64_extend_i32_s" : "i64_extend_i32_u");
    } else if (fv === "i32") {
      this.narrow(intInfo(to), fi);
    }
  }

  /** Normalizes an i32 holding a `from` value to a `to` of at most 4 bytes. */
  private narrow(to: IntInfo, from: IntInfo): void {
    if (to.size >= 4) return;
    if (from.size < to.size && (!from.signed || to.signed)) return;
    if (from.size === to.size && from.signed === to.signed) return;
    if (to.size === 1) {
      if (to.signed) this.w.op("i32_extend8_s");
      else this.w.i32Const(0xff).op("i32_and");
    } else if (to.signed) {
      this.w.op("i32_extend16_s");
    } else {
      this.w.i32Const(0xffff).op("i32_and");
    }
  }

  // ---- assignment and records ---------------------------------------------------------------

  assign(e: Assign, want: boolean): void {
    const { lv, value } = e;
    if (isRecord(lv.type)) {
      const dst = this.addressInLocal(lv);
      const src = this.addressInLocal(value);
      this.copyBytes(dst, src, sizeOf(lv.type), alignOf(lv.type));
      if (src.temp) this.release("i32", src.local);
      if (want) {
        this.w.localGet(dst.local);
        this.addOffset(dst.offset);
      }
      if (dst.temp) this.release("i32", dst.local);
      return;
    }
    if (lv.k === "var") {
      const st = this.storageOf(lv.v, lv.loc);
      if (st.k === "local") {
        this.expr(value);
        if (want) this.w.localTee(st.index);
        else this.setLocal(st.index);
        return;
      }
    }
    const off = this.address(lv);
    if (!want) {
      this.storedValue(value, lv.type);
      this.store(lv.type, off);
      return;
    }
    this.expr(value);
    const vt = valType(lv.type);
    const t = this.temp(vt);
    this.w.localTee(t);
    this.store(lv.type, off);
    this.w.localGet(t);
    this.release(vt, t);
  }

  /**
   * Pushes the bits a store of type `t` keeps of `e`. A narrow store truncates, so narrowing
   * casts in front of it are dropped, also those of an inlined single-expression callee
   * (`q[i] = luma(...)` with `luma` returning `(uint8_t)(...)`).
   */
  private storedValue(e: Expr, t: Type): void {
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
      if (st.k === "frame") return { local: this.fp, offset: st.offset, temp: false };
      if (st.k === "ptr") return { local: st.index, offset: 0, temp: false };
    }
    const offset = this.address(e);
    const local = this.temp("i32");
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

  /** Stores zeros over [offset, offset + size) of the address in `base`. */
  private zeroBytes(base: number, offset: number, size: number, align: number): void {
    const w = this.w;
    if (size > 64) {
      w.localGet(base);
      this.addOffset(offset);
      w.i32Const(0).i32Const(size).memoryFill();
      return;
    }
    let at = 0;
    const a = align >= 8 ? 3 : align >= 4 ? 2 : 0;
    for (; at + 8 <= size; at += 8)
      w.localGet(base)
        .i64Const(0n)
        .mem("i64_store", a, offset + at);
    for (; at + 4 <= size; at += 4) {
      w.localGet(base)
        .i32Const(0)
        .mem("i32_store", Math.min(a, 2), offset + at);
    }
    for (; at < size; at++)
      w.localGet(base)
        .i32Const(0)
        .mem("i32_store8", 0, offset + at);
  }

  /** Runs a block-scope initializer for `v` (a declaration or a compound literal). */
  initialize(v: Var, init: Initializer, loc: Loc): void {
    const st = this.storageOf(v, loc);
    if (st.k === "local") {
      const item = init.items[0];
      if (item && "expr" in item) this.expr(item.expr);
      else this.zero(valType(v.type));
      this.setLocal(st.index);
      return;
    }
    if (st.k === "global") {
      this.error(loc, "internal: block-scope initializer for static storage");
      return;
    }
    const base = st.k === "frame" ? this.fp : st.index;
    const baseOffset = st.k === "frame" ? st.offset : 0;
    const size = Math.max(init.size, sizeOf(v.type));
    const align = alignOf(v.type);
    if (!coversAll(init, size)) this.zeroBytes(base, baseOffset, size, align);
    for (const item of init.items) {
      const at = baseOffset + item.offset;
      if ("bytes" in item) {
        this.storeBytes(base, at, item.bytes);
        continue;
      }
      if (isRecord(item.type)) {
        const src = this.addressInLocal(item.expr);
        this.copyBytes({ local: base, offset: at }, src, sizeOf(item.type), alignOf(item.type));
        if (src.temp) this.release("i32", src.local);
        continue;
      }
      this.w.localGet(base);
      this.storedValue(item.expr, item.type);
      this.store(item.type, at);
    }
  }

  private storeBytes(base: number, at: number, bytes: Uint8Array): void {
    const w = this.w;
    const blob = this.mod.blobOffset(bytes);
    if (blob !== undefined) {
      w.localGet(base);
      this.addOffset(at);
      this.memoryBase();
      this.addOffset(blob);
      w.i32Const(bytes.length).memoryCopy();
      return;
    }
    let i = 0;
    for (; i + 4 <= bytes.length; i += 4) {
      const word = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
      w.localGet(base)
        .i32Const(word)
        .mem("i32_store", 0, at + i);
    }
    for (; i < bytes.length; i++)
      w.localGet(base)
        .i32Const(bytes[i]!)
        .mem("i32_store8", 0, at + i);
  }

  // ---- calls --------------------------------------------------------------------------------

  /** Emits a call; returns whether a value was pushed. */
  call(e: Call, want: boolean): boolean {
    const w = this.w;
    const ft = e.fnType;
    const direct = directCallee(e.callee);
    if (direct) {
      const intrinsic = this.mod.intrinsic(direct);
      if (intrinsic) return this.intrinsicCall(intrinsic, e, want);
      const def = this.mod.inlineDef(direct);
      if (def) return this.inlineCall(def, e, want);
    }
    let resultSlot = -1;
    if (isRecord(ft.ret)) {
      resultSlot = this.allocFrame(sizeOf(ft.ret), Math.max(alignOf(ft.ret), 4));
      w.localGet(this.fp);
      this.addOffset(resultSlot);
    }
    const fixed = ft.params.length;
    for (let i = 0; i < fixed && i < e.args.length; i++) this.argument(e.args[i]!);
    if (ft.variadic) this.variadicArguments(e.args.slice(fixed));
    if (direct) {
      const index = this.mod.funcIndex(direct);
      if (index === undefined)
        this.error(e.loc, `internal: '${direct.name}' has no function index`);
      this.chargeCall();
      w.call(index ?? 0);
    } else {
      this.expr(e.callee);
      this.chargeCall();
      w.callIndirect(this.mod.typeIndex(wasmSignature(ft)));
    }
    this.reloadFuel();
    if (resultSlot >= 0) {
      if (!want) return false;
      w.localGet(this.fp);
      this.addOffset(resultSlot);
      return true;
    }
    return ft.ret.kind !== "void";
  }

  /** Pushes one fixed argument; records are passed as a pointer to a fresh copy. */
  private argument(a: Expr): void {
    if (!isRecord(a.type)) {
      this.expr(a);
      return;
    }
    const size = sizeOf(a.type);
    const align = Math.max(alignOf(a.type), 4);
    const slot = this.allocFrame(size, align);
    const src = this.addressInLocal(a);
    this.copyBytes({ local: this.fp, offset: slot }, src, size, align);
    if (src.temp) this.release("i32", src.local);
    this.w.localGet(this.fp);
    this.addOffset(slot);
  }

  /** Writes variadic arguments to a frame buffer and pushes its address. */
  private variadicArguments(args: Expr[]): void {
    const w = this.w;
    if (args.length === 0) {
      w.i32Const(0);
      return;
    }
    const offsets: number[] = [];
    let size = 0;
    for (const a of args) {
      const n = valType(a.type) === "i64" || valType(a.type) === "f64" ? 8 : 4;
      size = alignTo(size, n);
      offsets.push(size);
      size += n;
    }
    const buffer = this.allocFrame(size, 8);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (isRecord(a.type)) {
        this.error(a.loc, "passing a struct or union as a variadic argument is not supported");
        continue;
      }
      w.localGet(this.fp);
      this.expr(a);
      this.store(a.type, buffer + offsets[i]!);
    }
    w.localGet(this.fp);
    this.addOffset(buffer);
  }

  private intrinsicCall(
    intrinsic: NonNullable<ReturnType<ModuleContext["intrinsic"]>>,
    e: Call,
    want: boolean,
  ): boolean {
    const w = this.w;
    const [a0, a1, a2] = e.args;
    if (intrinsic.kind === "unary") {
      this.expr(a0!);
      w.op(intrinsic.op);
      if (!want) w.op("drop");
      return want;
    }
    let dest = -1;
    this.expr(a0!);
    if (want) {
      dest = this.temp("i32");
      w.localTee(dest);
    }
    this.expr(a1!);
    this.expr(a2!);
    this.chargeBulk();
    if (intrinsic.kind === "copy") w.memoryCopy();
    else w.memoryFill();
    if (dest >= 0) {
      w.localGet(dest);
      this.release("i32", dest);
    }
    return want;
  }

  /**
   * Expands a call to `def` in place; returns whether a value was pushed. `storeAs`: the value
   * only feeds a store of that type, so its narrowing casts may be dropped (see storedBits).
   */
  abstract inlineCall(def: FunctionDef, e: Call, want: boolean, storeAs?: Type): boolean;
}

/**
 * The expression whose low bytes a store of type `t` needs: `store8`/`store16` truncate, so
 * integer narrowing casts in front of them are redundant.
 */
export function storedBits(e: Expr, t: Type): Expr {
  const width = storeWidth(t);
  if (width >= 4) return e;
  while (
    e.k === "cast" &&
    e.type.kind === "int" &&
    e.type.name !== "_Bool" &&
    e.type.size >= width &&
    e.type.size <= 4 &&
    (e.arg.type.kind === "int" || e.arg.type.kind === "enum") &&
    valType(e.arg.type) === "i32"
  ) {
    e = e.arg;
  }
  return e;
}

/**
 * Whether two expressions certainly have the same value when evaluated back to back: the same
 * tree of reads and pure operators (no assignments, calls or increments), at most `depth` deep.
 */
function sameValue(a: Expr, b: Expr, depth: number): boolean {
  if (depth <= 0 || a.k !== b.k || !sameScalarType(a.type, b.type)) return false;
  switch (a.k) {
    case "int":
      return a.value === (b as typeof a).value;
    case "var":
      return a.v === (b as typeof a).v && a.v.kind !== "function";
    case "deref":
      return sameValue(a.ptr, (b as typeof a).ptr, depth - 1);
    case "member": {
      const m = b as typeof a;
      return a.member.offset === m.member.offset && sameValue(a.base, m.base, depth - 1);
    }
    case "addr":
      return sameValue(a.lv, (b as typeof a).lv, depth - 1);
    case "cast":
      return sameValue(a.arg, (b as typeof a).arg, depth - 1);
    case "unary":
      return a.op === (b as typeof a).op && sameValue(a.arg, (b as typeof a).arg, depth - 1);
    case "binary": {
      const o = b as typeof a;
      return a.op === o.op && sameValue(a.l, o.l, depth - 1) && sameValue(a.r, o.r, depth - 1);
    }
    default:
      return false;
  }
}

function sameScalarType(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || valType(a) !== valType(b)) return false;
  if (a.kind === "int" && b.kind === "int") {
    return a.size === b.size && a.signed === b.signed && isBool(a) === isBool(b);
  }
  return a.kind === "pointer" || a.kind === "float" || a.kind === "enum";
}

/** Bytes an integer store of type `t` writes (4 for anything not narrower than i32). */
function storeWidth(t: Type): number {
  return t.kind === "int" && t.name !== "_Bool" ? Math.min(t.size, 4) : 4;
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

/** Whether the initializer's items cover every byte (so no zero-fill is needed). */
function coversAll(init: Initializer, size: number): boolean {
  let end = 0;
  for (const item of init.items) {
    if (item.offset !== end) return false;
    end += "bytes" in item ? item.bytes.length : sizeOf(item.type);
  }
  return end >= size;
}

export type { FuncType };
