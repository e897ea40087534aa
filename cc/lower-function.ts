// Function lowering: frames, locals, statements and structured control flow. One instance
// per emitted function; inlined callees are expanded into the same instance.
//
// Shape of every function:
//   [frame prologue] [fuel load] block $ret (result T) <body> <zero> end [epilogue]
// so every `return` is a `br $ret` and the epilogue (restore __stack_pointer, store fuel)
// exists once.

import type { ValType } from "../wasm/index.ts";
import { CodeWriter } from "../wasm/index.ts";
import {
  type AstNode,
  assertNever,
  type Call,
  type Expr,
  type FunctionDef,
  forEachChild,
  type Goto,
  isExpr,
  objectAlign,
  type Stmt,
  type Switch,
  type Var,
} from "./ast.ts";
import { constTruth } from "./cfg.ts";
import { countedLoop, leavesEarly } from "./counted-loop.ts";
import type { Loc } from "./diagnostics.ts";
import { isSingleReturn } from "./inline.ts";
import { containsLabel } from "./jumps.ts";
import { type FunctionLines, startOf } from "./line-table.ts";
import { loopInvariantGlobals } from "./loop-globals.ts";
import { directCallee, type FunctionFacts } from "./lower-analysis.ts";
import { lowerThroughCfg } from "./lower-cfg.ts";
import { GlobalKind, type ModuleContext, wasmSignature } from "./lower-context.ts";
import { ExprLowerer, type Storage } from "./lower-expr.ts";
import { FunctionFrame } from "./lower-frame.ts";
import { initialize } from "./lower-init.ts";
import { checkLocal } from "./lower-null.ts";
import { negativelyIndexedPointers } from "./lower-rebase.ts";
import { storedBits } from "./lower-shapes.ts";
import { STACK_FLOOR } from "./module.ts";
import { firstIterationBases, loopClobbers } from "./null-hoist.ts";
import { alignOf, alignTo, isRecord, isVoid, sizeOf, type Type, valType } from "./types.ts";
import { emitVectorLoop } from "./vectorize.ts";
import { planVector } from "./vectorize-plan.ts";

interface ReturnTarget {
  label: number;
  vt: ValType | undefined;
  /** Local holding the hidden result pointer of a record-returning function, or -1. */
  sret: number;
}

/** A block whose labels are goto targets: its statements split into segments at labels. */
interface GotoScope {
  labels: Map<string, number>;
  /** Label (depth) of the block whose end is the start of segment i. */
  segmentLabel: number[];
  /** Label of the dispatch loop for backward gotos, or -1 if every goto is forward. */
  loopLabel: number;
  state: number;
  current: number;
}

export interface LoweredFunction {
  locals: ValType[];
  /** Prologue and body; concatenated after the global indices are patched. */
  parts: CodeWriter[];
  /** Its line table; offsets in the body follow the prologue (`parts[0]`). */
  lines: FunctionLines;
}

const noTargets = new Set<string>();
/** V8 rejects br_table with more targets than this. */
const MAX_BR_TABLE = 65520;

export class FunctionLowerer extends ExprLowerer {
  private readonly breaks: number[] = [];
  private readonly continues: number[] = [];
  private readonly returns: ReturnTarget[] = [];
  private readonly gotoScopes: GotoScope[] = [];
  private gotoTargets: Set<string>;
  /** Lowered through a control-flow graph (lower-cfg.ts): jumps the structure cannot take. */
  private readonly unstructured: boolean;

  constructor(
    mod: ModuleContext,
    private readonly def: FunctionDef,
    facts: FunctionFacts | undefined,
  ) {
    super(mod, new FunctionFrame(wasmSignature(def.type).params as ValType[]), def.v.name);
    this.gotoTargets = facts?.gotoTargets ?? noTargets;
    this.unstructured = facts?.unstructured ?? false;
  }

  lower(): LoweredFunction {
    const def = this.def;
    const ret = def.type.ret;
    const sret = isRecord(ret) ? 0 : -1;
    const firstParam = sret === 0 ? 1 : 0;
    const copies: { v: Var; index: number; offset: number }[] = [];
    def.params.forEach((p, i) => {
      const index = firstParam + i;
      if (isRecord(p.type)) {
        this.frame.storage.set(p, { k: "ptr", index });
      } else if (p.addressTaken) {
        const offset = this.frame.alloc(sizeOf(p.type), alignOf(p.type));
        this.frame.storage.set(p, { k: "frame", offset });
        copies.push({ v: p, index, offset });
      } else {
        this.frame.storage.set(p, { k: "local", index });
      }
    });
    for (const v of def.locals) this.frame.storage.set(v, this.freshStorage(v, false));

    const vt = isVoid(ret) || sret === 0 ? undefined : valType(ret);
    const body = this.w;
    this.depth = 1;
    this.returns.push({ label: 1, vt, sret });
    if (this.unstructured) lowerThroughCfg(this, def.body.body);
    else this.stmts(def.body.body);
    if (vt) this.zero(vt);
    body.end();
    this.depth = 0;

    const prologue = new CodeWriter();
    this.w = prologue;
    const frameSize = alignTo(this.frame.size, 16);
    // An over-aligned frame (`_Alignas(64)` locals) starts at sp - frameSize rounded down, up
    // to align - 16 bytes lower; the stack pointer to restore is then kept in a local.
    const slack = this.frame.align - 16;
    const entrySp = slack > 0 || this.frame.usesAlloca ? this.frame.newLocal("i32") : -1;
    this.mark(def.loc); // the stack check: a stack overflow is reported at the definition
    if (!this.frame.hasFrame && entrySp >= 0) {
      this.globalGet(GlobalKind.stackPointer);
      prologue.localSet(entrySp);
    }
    if (this.frame.hasFrame) {
      this.globalGet(GlobalKind.stackPointer);
      prologue
        .i32Const(frameSize + slack + STACK_FLOOR)
        .op("i32_lt_u")
        .if()
        .op("unreachable")
        .end();
      this.globalGet(GlobalKind.stackPointer);
      if (entrySp >= 0) prologue.localTee(entrySp);
      prologue.i32Const(frameSize).op("i32_sub");
      if (slack > 0) prologue.i32Const(-this.frame.align).op("i32_and");
      prologue.localTee(this.frame.fp);
      this.globalSet(GlobalKind.stackPointer);
      for (const c of copies) {
        prologue.localGet(this.frame.fp).localGet(c.index);
        this.store(c.v.type, c.offset);
      }
    }
    if (this.frame.usesFuel) {
      this.globalGet(GlobalKind.fuel);
      prologue.localSet(this.frame.fuelLocal);
    }
    if (this.frame.usesMemoryBase) {
      this.globalGet(GlobalKind.memoryBase);
      prologue.localSet(this.frame.memoryBaseLocal);
    }
    if (this.setjmp) {
      // This invocation's id, which its setjmps save (lower-cfg.ts), and the shadow stack
      // pointer a longjmp back into it restores.
      this.globalGet(GlobalKind.jmpCounter);
      prologue.i64Const(1n).op("i64_add").localTee(this.setjmp.id);
      this.globalSet(GlobalKind.jmpCounter);
      this.globalGet(GlobalKind.stackPointer);
      prologue.localSet(this.setjmp.sp);
    }
    prologue.block(vt ?? "void");

    this.w = body;
    if (entrySp >= 0) {
      body.localGet(entrySp);
      this.globalSet(GlobalKind.stackPointer);
    } else if (this.frame.hasFrame) {
      body.localGet(this.frame.fp).i32Const(frameSize).op("i32_add");
      this.globalSet(GlobalKind.stackPointer);
    }
    if (this.frame.usesFuel) {
      body.localGet(this.frame.fuelLocal);
      this.globalSet(GlobalKind.fuel);
    }
    if (frameSize > this.mod.limits.maxObjectBytes) {
      this.error(def.loc, `stack frame of '${def.v.name}' too large (${frameSize} bytes)`);
    }
    return { locals: this.frame.localTypes, parts: [prologue, body], lines: this.lines };
  }

  /** Storage for a local: a frame slot if it must live in memory, else a wasm local. */
  private freshStorage(v: Var, temp: boolean): Storage {
    if (v.addressTaken || isRecord(v.type) || v.type.kind === "array") {
      return { k: "frame", offset: this.frame.alloc(sizeOf(v.type), objectAlign(v)) };
    }
    const vt = valType(v.type);
    return { k: "local", index: temp ? this.frame.temp(vt) : this.frame.newLocal(vt) };
  }

  // ---- statements ---------------------------------------------------------------------------

  stmtList(list: Stmt[]): void {
    this.stmts(list);
  }

  private stmts(list: Stmt[]): void {
    if (this.gotoTargets.size > 0 && list.some((s) => this.isTargetLabel(s))) {
      this.labelledBlock(list);
      return;
    }
    for (const s of list) this.stmt(s);
  }

  /** A statement (the CFG lowering passes only expression statements and declarations). */
  stmt(s: Stmt): void {
    const w = this.w;
    if (s.k !== "block" && s.k !== "label" && s.k !== "case") this.mark(s.loc);
    switch (s.k) {
      case "expr":
        this.effect(s.expr);
        return;
      case "decl":
        if (s.init) initialize(this, s.v, s.init, s.loc);
        return;
      case "block":
        this.stmts(s.body);
        return;
      case "if": {
        const k = constTruth(s.cond);
        if (k !== undefined) {
          const chosen = k ? s.then : s.else;
          const dead = k ? s.else : s.then;
          if (!dead || !containsLabel(dead)) {
            if (chosen) this.stmt(chosen);
            return;
          }
        }
        this.cond(s.cond);
        w.if();
        this.depth++;
        this.stmt(s.then);
        if (s.else) {
          w.else();
          this.stmt(s.else);
        }
        w.end();
        this.depth--;
        return;
      }
      case "while":
        this.loop(s.loc, s.cond, undefined, s.body, true);
        return;
      case "for":
        if (s.init) {
          this.stmt(s.init);
          this.mark(s.loc);
        }
        this.loop(s.loc, s.cond, s.step, s.body, true);
        return;
      case "do":
        this.loop(s.loc, s.cond, undefined, s.body, false);
        return;
      case "switch":
        this.switchStmt(s);
        return;
      case "case":
        this.stmt(s.body);
        return;
      case "return":
        this.returnStmt(s.value);
        return;
      case "break":
        w.br(this.depth - this.breaks[this.breaks.length - 1]!);
        return;
      case "continue":
        w.br(this.depth - this.continues[this.continues.length - 1]!);
        return;
      case "goto":
        this.gotoStmt(s);
        return;
      case "label":
        if (this.gotoTargets.has(s.name)) {
          this.error(s.loc, `label '${s.name}' must be a statement of a block to be a goto target`);
        }
        this.stmt(s.body);
        return;
      default:
        assertNever(s);
    }
  }

  /**
   * while/for (condition tested first) and do-while. The loop is rotated: one test before
   * entering, one at the bottom, so each iteration runs a single conditional branch.
   *   block $break [test; br_if $break] loop $top fuel block $continue body end step test
   *   br_if $top
   * Fuel is charged at the top of each iteration, so that the paths back to the top (all the
   * `break`s of a switch in an interpreter loop, say) go straight to the loop header instead
   * of meeting at a shared check first: V8 then spends one jump less per iteration. A loop
   * without a condition gets one unit back on entry, so it is still charged per back-edge
   * taken (a loop left by `break` in its first iteration costs nothing).
   */
  private loop(
    loc: Loc,
    cond: Expr | undefined,
    step: Expr | undefined,
    body: Stmt,
    testFirst: boolean,
  ) {
    const w = this.w;
    const k = cond ? constTruth(cond) : true;
    if (k === false && testFirst && !containsLabel(body)) return;
    const promoted = k === false && !testFirst ? [] : this.promoteGlobals([cond, step, body]);
    const rebased = k === false && !testFirst ? [] : this.rebasePointers([cond, step, body]);
    w.block();
    const brk = ++this.depth;
    if (testFirst && k !== true) {
      this.condNot(cond!);
      w.brIf(0);
    }
    if (this.mod.fuel && testFirst && k === undefined) this.mark(loc); // a trip-count charge
    const counted =
      this.mod.fuel && testFirst && k === undefined && this.chargeTripCount(cond!, step, body);
    const loops = !(k === false && !testFirst);
    if (this.mod.vectorize && testFirst && k === undefined && (counted || !this.mod.fuel)) {
      this.vectorize(cond!, step, body);
    }
    const metered = loops && !counted && this.mod.fuel;
    if (metered && k === true) this.creditFuel();
    let top = -1;
    let retry = -1;
    if (loops) {
      if (this.mod.nullChecks) this.checkBeforeLoop([cond, step, body], body);
      let out = -1;
      if (metered) {
        // The refill of a counter that ran out at the header sits after the loop (see below).
        // Entered again from there, the loop holds the null-check facts its header does.
        const kills = this.bodyWriter.preparedLoop;
        w.loop();
        if (kills) this.bodyWriter.prepareLoop(kills);
        retry = ++this.depth;
        w.block();
        out = ++this.depth;
      }
      w.loop();
      top = ++this.depth;
      if (metered) {
        this.mark(loc); // fuel runs out at the loop's header
        const f = this.frame.fuelLocal;
        w.localGet(f).i32Const(1).op("i32_sub").localTee(f).i32Const(0).op("i32_lt_s");
        w.brIf(this.depth - out);
      }
    }
    w.block();
    const cont = ++this.depth;
    this.breaks.push(brk);
    this.continues.push(cont);
    this.stmt(body);
    this.breaks.pop();
    this.continues.pop();
    w.end();
    this.depth--;
    if (loops) {
      if (step) {
        this.mark(startOf(step));
        this.effect(step);
      }
      if (k === true) {
        w.br(this.depth - top);
      } else {
        this.mark(startOf(cond!));
        this.cond(cond!);
        w.brIf(this.depth - top);
      }
      w.end();
      this.depth--;
      if (metered) {
        // The header's charge found the counter empty: refill it from the budget's reserve
        // (or trap) out here and enter the header again, which charges again (one unit is
        // put back for it). Off the loop's body, the refill costs the loop nothing: inside,
        // even never taken, it cost the interpreter kernel ~10-15 % against a bare trap.
        w.br(this.depth - brk); // the loop ended: past the refill
        w.end();
        this.depth--;
        this.mark(loc);
        this.refillOrTrap(undefined, 1);
        w.br(this.depth - retry);
        w.end();
        this.depth--;
      }
    }
    w.end();
    this.depth--;
    for (const p of promoted) {
      this.frame.storage.set(p.v, p.home);
      this.frame.release(p.vt, p.local);
    }
    for (const v of rebased) {
      this.frame.release("i32", this.rebased.get(v)!.local);
      this.rebased.delete(v);
    }
  }

  /**
   * Null checks around a loop about to start (it runs at least once from here): the pointers
   * its first iteration certainly dereferences are checked now instead of in every iteration,
   * and the loop keeps every check made before it except those of the locals it assigns.
   */
  private checkBeforeLoop(parts: (Expr | Stmt | undefined)[], body: Stmt): void {
    const clobbered = loopClobbers(parts);
    const localOf = (v: Var) => {
      const st = this.frame.storage.get(v);
      return st?.k === "local" ? st.index : undefined;
    };
    for (const v of firstIterationBases(body, this.safeCall)) {
      const local = localOf(v);
      if (local !== undefined && !clobbered.has(v)) checkLocal(this, local);
    }
    const kills: number[] = [];
    for (const v of clobbered) {
      const local = localOf(v);
      if (local !== undefined) kills.push(local);
    }
    this.bodyWriter.prepareLoop(kills);
  }

  /** Computes `p + lowest` before the loop for pointers it indexes below their address. */
  private rebasePointers(parts: (Expr | Stmt | undefined)[]): Var[] {
    const found = negativelyIndexedPointers(
      parts,
      (v) => !this.rebased.has(v) && this.frame.storage.get(v)?.k === "local",
    );
    const out: Var[] = [];
    for (const [v, lowest] of found) {
      const st = this.frame.storage.get(v) as { index: number };
      const local = this.frame.temp("i32");
      this.w.localGet(st.index).i32Const(lowest).op("i32_add").localSet(local);
      this.rebased.set(v, { local, lowest, of: st.index });
      out.push(v);
    }
    return out;
  }

  /** Loads the loop-invariant globals of a loop into locals for the loop's duration. */
  private promoteGlobals(parts: (Expr | Stmt | undefined)[]) {
    const out: { v: Var; home: Storage; vt: ValType; local: number }[] = [];
    const vars = loopInvariantGlobals(
      parts,
      (v) => this.mod.intrinsic(v) !== undefined,
      (v) => this.mod.inlineDef(v),
    );
    for (const v of vars) {
      if (this.mod.globalOffset(v) === undefined) continue;
      const home = this.storageOf(v, v.loc);
      if (home.k !== "global") continue; // already held in a local by an enclosing loop
      const vt = valType(v.type);
      const local = this.frame.temp(vt);
      this.memoryBase();
      this.load(v.type, home.offset);
      this.w.localSet(local);
      this.frame.storage.set(v, { k: "local", index: local });
      out.push({ v, home, vt, local });
    }
    return out;
  }

  /** Calls that run to completion without host code: intrinsics and call-free inlined bodies. */
  private readonly safeCall = (call: Call): boolean => {
    const v = directCallee(call.callee);
    if (!v) return false;
    if (this.mod.intrinsic(v)) return true;
    const def = this.mod.inlineDef(v);
    if (!def) return false;
    let known = this.callFree.get(def);
    if (known === undefined) {
      this.callFree.set(def, false);
      known = !leavesEarly(def.body, false, this.safeCall, false);
      this.callFree.set(def, known);
    }
    return known;
  };
  private readonly callFree = new Map<FunctionDef, boolean>();

  /**
   * Runs the iterations it can in SIMD lanes first (vectorize.ts) when the loop qualifies
   * (vectorize-plan.ts), then re-tests the condition for the scalar loop that finishes.
   */
  private vectorize(cond: Expr, step: Expr | undefined, body: Stmt): void {
    const c = countedLoop(cond, step, body, this.safeCall);
    if (!c) return;
    const localOf = (v: Var) => {
      const st = this.frame.storage.get(v);
      return st?.k === "local" ? st.index : undefined;
    };
    const plan = planVector(c, body, step, this.mod, localOf);
    if (!plan) return;
    emitVectorLoop(this, c, plan, (v) => localOf(v)!);
    this.condNot(cond);
    this.w.brIf(0);
  }

  /** Charges a counted loop's whole trip count on entry (the loop is known to run once). */
  private chargeTripCount(cond: Expr, step: Expr | undefined, body: Stmt): boolean {
    const c = countedLoop(cond, step, body, this.safeCall);
    const index = c && this.frame.storage.get(c.index);
    if (!c || index?.k !== "local") return false;
    const by = typeof c.step === "number" ? c.step : this.frame.storage.get(c.step);
    if (typeof by !== "number" && by?.k !== "local") return false;
    const w = this.w;
    const bound = () => {
      this.expr(c.bound);
      if (c.adjust !== 0) w.i32Const(c.adjust).op("i32_add");
    };
    const pushStep = () => (typeof by === "number" ? w.i32Const(by) : w.localGet(by.index));
    const trips = this.frame.temp("i32");
    // distance = bound - index (up) or index - bound (down); positive: the loop is entered
    if (c.direction === "up") {
      bound();
      this.expr(c.value);
    } else {
      this.expr(c.value);
      bound();
    }
    w.op("i32_sub");
    if (!c.noWrap) {
      // Take everything (trap) unless the step is positive and the index cannot wrap past
      // the bound: up needs bound <= MAX - step + 1, down needs bound >= MIN + step - 1.
      // The bound is compared as written: its inclusive adjustment could itself overflow.
      w.localSet(trips);
      this.expr(c.bound);
      if (c.direction === "up") {
        w.i32Const((c.signed ? 0x80000000 : 0) - c.adjust);
        pushStep();
        w.op("i32_sub").op(c.signed ? "i32_le_s" : "i32_le_u");
      } else {
        pushStep();
        w.i32Const((c.signed ? 0x7fffffff : -1) - c.adjust).op("i32_add");
        w.op(c.signed ? "i32_ge_s" : "i32_ge_u");
      }
      if (typeof by !== "number") w.localGet(by.index).i32Const(0).op("i32_gt_s").op("i32_and");
      w.if("i32").localGet(trips);
    }
    if (by !== 1) {
      // ceil(distance / step)
      w.i32Const(1).op("i32_sub");
      pushStep();
      w.op("i32_div_u").i32Const(1).op("i32_add");
    }
    if (!c.noWrap) {
      // The index could wrap past the bound: the loop may never end, so it takes everything.
      w.else().i32Const(-1);
      this.globalSet(GlobalKind.fuel);
      w.op("unreachable").end();
    }
    const f = this.frame.fuelLocal;
    // More trips than the counter holds: the budget's reserve may cover them.
    w.localTee(trips).localGet(f).op("i32_gt_u").if();
    this.refillOrTrap(trips);
    w.else();
    w.localGet(f).localGet(trips).op("i32_sub").localSet(f);
    w.end();
    this.frame.release("i32", trips);
    return true;
  }

  /**
   * `switch`: one block per case segment, nested so that falling out of segment i's code
   * enters segment i + 1; the dispatch (br_table when dense, else compares) sits innermost.
   */
  private switchStmt(s: Switch): void {
    const w = this.w;
    const list = s.body.k === "block" ? s.body.body : [s.body];
    const segments: Stmt[][] = [];
    const targets: { value: bigint; segment: number }[] = [];
    let defaultSegment = -1;
    for (const st of list) {
      if (st.k === "case") {
        let x: Stmt = st;
        while (x.k === "case") {
          if (x.value === undefined) defaultSegment = segments.length;
          else targets.push({ value: x.value, segment: segments.length });
          x = x.body;
        }
        segments.push([x]);
      } else if (segments.length === 0) {
        if (containsLabel(st)) this.error(st.loc, "label before the first case of a switch");
      } else {
        segments[segments.length - 1]!.push(st);
      }
    }

    w.block();
    const brk = ++this.depth;
    const n = segments.length;
    const segmentLabel: number[] = new Array(n);
    for (let i = n - 1; i >= 0; i--) {
      w.block();
      segmentLabel[i] = ++this.depth;
    }
    const depthOf = (segment: number) => this.depth - (segment < 0 ? brk : segmentLabel[segment]!);
    this.switchDispatch(
      s.cond,
      targets.map((t) => ({ value: t.value, depth: depthOf(t.segment) })),
      depthOf(defaultSegment),
    );
    // Every path into a case or out of the switch went through the dispatch just emitted.
    if (this.w === this.bodyWriter) this.bodyWriter.holdAcross(n + 1);
    this.breaks.push(brk);
    for (let i = 0; i < n; i++) {
      w.end();
      this.depth--;
      this.stmts(segments[i]!);
    }
    this.breaks.pop();
    w.end();
    this.depth--;
  }

  /**
   * Branches on a switch value: br_table when the cases are dense, else compares; `depth` of
   * each case and `fallback` are branch depths from the current one.
   */
  switchDispatch(cond: Expr, targets: { value: bigint; depth: number }[], fallback: number): void {
    const w = this.w;
    const vt = valType(cond.type);
    const asI32 = (v: bigint) => Number(BigInt.asIntN(32, v));
    let min = 0;
    let max = 0;
    if (vt === "i32" && targets.length > 0) {
      min = Number.POSITIVE_INFINITY;
      max = Number.NEGATIVE_INFINITY;
      for (const t of targets) {
        const v = asI32(t.value);
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    const range = max - min + 1;
    if (
      vt === "i32" &&
      targets.length >= 3 &&
      range <= 2 * targets.length + 8 &&
      range <= MAX_BR_TABLE
    ) {
      this.expr(cond);
      if (min !== 0) w.i32Const(min).op("i32_sub");
      const table: number[] = new Array(range).fill(fallback);
      for (const t of targets) table[asI32(t.value) - min] = t.depth;
      w.brTable(table, fallback);
    } else if (targets.length === 0) {
      this.effect(cond);
      w.br(fallback);
    } else {
      const t = this.frame.temp(vt);
      this.expr(cond);
      w.localSet(t);
      for (const c of targets) {
        w.localGet(t);
        if (vt === "i64") w.i64Const(BigInt.asIntN(64, c.value)).op("i64_eq");
        else w.i32Const(asI32(c.value)).op("i32_eq");
        w.brIf(c.depth);
      }
      w.br(fallback);
      this.frame.release(vt, t);
    }
  }

  returnStmt(value: Expr | undefined): void {
    const target = this.returns[this.returns.length - 1]!;
    if (value) {
      if (target.sret >= 0) {
        const src = this.addressInLocal(value);
        this.copyBytes(
          { local: target.sret, offset: 0 },
          src,
          sizeOf(value.type),
          alignOf(value.type),
        );
        if (src.temp) this.frame.release("i32", src.local);
      } else if (target.vt) {
        this.expr(value);
      } else {
        this.effect(value);
      }
    } else if (target.vt) {
      this.zero(target.vt);
    }
    this.w.br(this.depth - target.label);
  }

  // ---- goto ---------------------------------------------------------------------------------

  private isTargetLabel(s: Stmt): boolean {
    for (let x = s; x.k === "label"; x = x.body) if (this.gotoTargets.has(x.name)) return true;
    return false;
  }

  /**
   * A block containing goto targets: segments at the labels, each started by the end of a
   * block, so a forward goto is a `br`. Backward gotos set a state local and branch to a
   * dispatch loop around the segments, whose br_table re-enters the right segment.
   */
  private labelledBlock(list: Stmt[]): void {
    const w = this.w;
    const segments: Stmt[][] = [[]];
    const labels = new Map<string, number>();
    for (const s of list) {
      if (this.isTargetLabel(s)) {
        let x: Stmt = s;
        for (; x.k === "label"; x = x.body) labels.set(x.name, segments.length);
        segments.push([x]);
      } else {
        segments[segments.length - 1]!.push(s);
      }
    }
    let backward = false;
    segments.forEach((seg, j) => {
      for (const s of seg) {
        forEachGoto(s, (g) => {
          const target = labels.get(g.label);
          if (target !== undefined && target <= j) backward = true;
        });
      }
    });

    const n = segments.length;
    const scope: GotoScope = {
      labels,
      segmentLabel: new Array(n),
      loopLabel: -1,
      state: -1,
      current: 0,
    };
    if (backward) {
      scope.state = this.frame.temp("i32");
      w.i32Const(0).localSet(scope.state).loop();
      scope.loopLabel = ++this.depth;
    }
    for (let i = n - 1; i >= 1; i--) {
      w.block();
      scope.segmentLabel[i] = ++this.depth;
    }
    if (backward) {
      w.block();
      scope.segmentLabel[0] = ++this.depth;
      const table = scope.segmentLabel.map((label) => this.depth - label);
      w.localGet(scope.state).brTable(table, 0).end();
      this.depth--;
    }
    this.gotoScopes.push(scope);
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        w.end();
        this.depth--;
      }
      scope.current = i;
      for (const s of segments[i]!) this.stmt(s);
    }
    this.gotoScopes.pop();
    if (backward) {
      w.end();
      this.depth--;
      this.frame.release("i32", scope.state);
    }
  }

  private gotoStmt(s: Goto): void {
    const w = this.w;
    for (let i = this.gotoScopes.length - 1; i >= 0; i--) {
      const scope = this.gotoScopes[i]!;
      const target = scope.labels.get(s.label);
      if (target === undefined) continue;
      if (target > scope.current) {
        w.br(this.depth - scope.segmentLabel[target]!);
      } else {
        w.i32Const(target).localSet(scope.state);
        this.chargeBackEdge();
        w.br(this.depth - scope.loopLabel);
      }
      return;
    }
    this.error(s.loc, `goto '${s.label}': the label is not in this block or an enclosing one`);
  }

  // ---- inlining -----------------------------------------------------------------------------

  override inlineCall(def: FunctionDef, e: Call, want: boolean, storeAs?: Type): boolean {
    const w = this.w;
    const temps: [ValType, number][] = [];
    // Bind parameters only after every argument is evaluated: an argument may itself inline a
    // call to the same function, which binds the same parameter variables.
    const bindings: [Var, Storage][] = [];
    for (let i = 0; i < def.params.length; i++) {
      const p = def.params[i]!;
      const a = e.args[i]!;
      if (isRecord(p.type)) {
        const size = sizeOf(p.type);
        const offset = this.frame.alloc(size, alignOf(p.type));
        const src = this.addressInLocal(a);
        this.copyBytes({ local: this.frame.fp, offset }, src, size, alignOf(p.type));
        if (src.temp) this.frame.release("i32", src.local);
        bindings.push([p, { k: "frame", offset }]);
      } else if (p.addressTaken) {
        const offset = this.frame.alloc(sizeOf(p.type), alignOf(p.type));
        w.localGet(this.frame.fp);
        this.expr(a);
        this.store(p.type, offset);
        bindings.push([p, { k: "frame", offset }]);
      } else {
        const vt = valType(p.type);
        this.expr(a);
        const t = this.frame.temp(vt);
        w.localSet(t);
        temps.push([vt, t]);
        bindings.push([p, { k: "local", index: t }]);
      }
    }
    for (const [p, st] of bindings) this.frame.storage.set(p, st);
    const call = startOf(e);
    const outer = this.lines.enter(def.v.name, call);
    for (const v of def.locals) {
      const st = this.freshStorage(v, true);
      if (st.k === "local") temps.push([valType(v.type), st.index]);
      this.frame.storage.set(v, st);
    }
    const ret = def.type.ret;
    const vt = isVoid(ret) ? undefined : valType(ret);
    if (isSingleReturn(def)) {
      const value = (def.body.body[0] as { value: Expr }).value;
      if (want && vt) this.expr(storeAs ? storedBits(value, storeAs) : value);
      else this.effect(value);
    } else {
      const savedTargets = this.gotoTargets;
      this.gotoTargets = noTargets;
      w.block(vt ?? "void");
      this.returns.push({ label: ++this.depth, vt, sret: -1 });
      this.stmts(def.body.body);
      if (vt) this.zero(vt);
      w.end();
      this.depth--;
      this.returns.pop();
      this.gotoTargets = savedTargets;
      if (vt && !want) w.op("drop");
    }
    this.lines.leave(outer);
    this.mark(call); // back in the caller, at the call
    for (const [t, index] of temps) this.frame.release(t, index);
    return want && vt !== undefined;
  }
}

function forEachGoto(root: AstNode, f: (g: Goto) => void): void {
  const walk = (n: AstNode): void => {
    if (n.k === "goto") f(n);
    else if (!isExpr(n)) forEachChild(n, walk);
  };
  walk(root);
}
