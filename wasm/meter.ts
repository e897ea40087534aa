// Fuel metering and a call-depth limit injected into one function body, in kplug's units and
// convention (cc/module.ts), so rewritten foreign code and KP-C code spend one budget alike:
//
//   - Units: 1 per loop iteration (charged and tested at the loop header) and 1 per call
//     (direct, indirect or to an import; charged and tested at the call site), plus
//     length / 64 for memory.copy and memory.fill (charged and tested before they run).
//     Host functions charge what the kernel documents for them.
//   - The counter lives in a new local, loaded from the `fuel` global at entry, stored back
//     before every call and every exit, and reloaded after every call (callees and host
//     functions see and charge the same budget). Calls to fuel-free functions (no loop, call
//     or bulk operation: wasm/call-graph.ts) skip the store and reload; fuel-free functions
//     get no counter at all.
//   - Bound: every charge is tested at once, so the counter never goes below -1 (or minus a
//     bulk charge, at most 2^26) and never wraps; a test that finds it negative refills it
//     inline from the reserve (wasm/fuel-refill.ts: a budget above 2^31-1 waits there), and
//     when the budget is spent traps with `unreachable`. Between two charges, an activation
//     only runs forward through its body (no loop header is passed without a charge), and a body is at
//     most 1 MiB (wasm/verify.ts). Each activation's run is cut by its charges, calls and
//     returns into pieces of at most one body, and there are at most 2 pieces per call plus
//     1 per loop iteration plus 1: with F units spent, a function runs at most
//     (2F + 1) x (largest body) instructions. (Finer per-block costs bought nothing for that
//     bound and cost up to 2x on tight loops.)
//   - Depth: only in functions that can recurse (plan.depth: on a cycle of direct calls, or
//     making indirect calls), a global incremented at entry and decremented at every exit;
//     above the limit the function traps with the global left at limit + 1, which tells a
//     depth trap from others. A trap skips the decrements, so the host resets the global after
//     any fault. See wasm/instrument.ts for why the other functions need none.
//   - When the function has exit code (fuel store, depth), the original body is wrapped in a
//     block typed with the function's results: branches to the function's own label then
//     reach the exit code instead of leaving the function.

import { forEachInstruction, type Instruction } from "./decoder.ts";
import { CodeWriter } from "./encoder.ts";
import { emitRefillOrTrap } from "./fuel-refill.ts";
import { Op, type ValType } from "./opcodes.ts";

/** log2 of the bytes of memory.copy/memory.fill that cost one unit of fuel. */
export const BULK_BYTES_SHIFT = 6;

const FC_MEMORY_COPY = 10;
const FC_MEMORY_FILL = 11;

export interface MeterContext {
  /** Global indices after the rewrite. */
  fuelGlobal: number;
  depthGlobal: number;
  maxDepth: number;
  /** Maps the module's original global indices to the rewritten ones. */
  remapGlobal: (index: number) => number;
  /** With a shadow stack: every store to it traps when the new value is below `floor`. */
  stackPointer?: { global: number; floor: number };
  /** The `fuel_reserve` global (wasm/fuel-refill.ts). */
  reserveGlobal: number;
  /** May a call to this function index read or change `fuel`? (Imports always may.) */
  touchesFuel: (func: number) => boolean;
}

/** How one function is metered (decided from the call graph by wasm/instrument.ts). */
export interface MeterPlan {
  /** Keeps a fuel counter: it has loops, calls or bulk operations. */
  fuel: boolean;
  /** Counts call depth: it can take part in a recursion. */
  depth: boolean;
}

export interface MeteredBody {
  /** The function's locals with the added ones at the end (parameters excluded). */
  locals: ValType[];
  /** The instructions, final `end` included. */
  body: Uint8Array;
}

/**
 * Rewrites `body` (as decoded: instructions up to and including the final `end`).
 * `resultBlock` is the wrapper block's type, already encoded (0x40, a value type byte or a
 * type index as signed LEB128).
 */
export function meterBody(
  body: Uint8Array,
  locals: readonly ValType[],
  paramCount: number,
  resultBlock: Uint8Array,
  ctx: MeterContext,
  plan: MeterPlan,
): MeteredBody {
  let needScratch = false;
  if (ctx.stackPointer || plan.fuel) {
    forEachInstruction(body, (ins) => {
      if (isBulk(ins)) needScratch = true;
      else if (ins.opcode === Op.global_set && ctx.stackPointer && ins.index === spOriginal(ctx))
        needScratch = true;
    });
  }
  const added: ValType[] = [];
  const fuel = plan.fuel || plan.depth ? paramCount + locals.length + added.push("i32") - 1 : -1;
  const scratch = needScratch ? paramCount + locals.length + added.push("i32") - 1 : -1;
  const total = plan.fuel ? paramCount + locals.length + added.push("f64") - 1 : -1;
  const wrapped = fuel >= 0;

  const w = new CodeWriter(body.length + (body.length >> 1) + 64);
  // Cold path of a charge: refill the counter from the budget's reserve, or trap.
  const site = {
    fuelGlobal: ctx.fuelGlobal,
    reserveGlobal: ctx.reserveGlobal,
    counterLocal: fuel,
    totalLocal: total,
  };
  const refillIfNegative = () => {
    w.i32Const(0).op("i32_lt_s").if();
    emitRefillOrTrap(w, site);
    w.end();
  };
  // Open blocks, ifs and loops, innermost last: how many labels the rewriter put right
  // around each (3 around a loop whose refill sits after it), so that branches crossing them
  // get deeper.
  const extra: number[] = [];
  let anyExtra = false;
  const depthFor = (d: number) => {
    let n = d;
    for (let k = 0; k < d && k < extra.length; k++) n += extra[extra.length - 1 - k]!;
    return n;
  };
  const exit = () => {
    if (plan.fuel) w.localGet(fuel).globalSet(ctx.fuelGlobal);
    if (plan.depth)
      w.globalGet(ctx.depthGlobal).i32Const(1).op("i32_sub").globalSet(ctx.depthGlobal);
  };

  // Prologue: depth (the fuel local is free scratch until it is loaded), then fuel.
  if (plan.depth) {
    w.globalGet(ctx.depthGlobal).i32Const(1).op("i32_add").localTee(fuel);
    w.globalSet(ctx.depthGlobal);
    w.localGet(fuel).i32Const(ctx.maxDepth).op("i32_gt_u").if().op("unreachable").end();
  }
  if (plan.fuel) w.globalGet(ctx.fuelGlobal).localSet(fuel);
  if (wrapped) {
    w.byte(Op.block);
    w.raw(resultBlock);
  }

  let open = 0;
  forEachInstruction(body, (ins) => {
    const op = ins.opcode;
    const raw = () => w.raw(body.subarray(ins.offset, ins.next));
    switch (op) {
      case Op.block:
      case Op.if:
        open++;
        extra.push(0);
        raw();
        return;
      case Op.loop:
        open++;
        if (plan.fuel && ins.blockType === "void") {
          // block $done  loop $again  block $cold  loop $L: the header's charge leaves for
          // $cold when the counter runs out, which refills and enters $L anew; the hot loop
          // keeps a bare test (cold code inside it, even never run, costs V8's code for it).
          w.block().loop().block();
          raw();
          w.localGet(fuel).i32Const(1).op("i32_sub").localTee(fuel);
          w.i32Const(0).op("i32_lt_s").brIf(1);
          extra.push(3);
          anyExtra = true;
          return;
        }
        extra.push(0);
        raw();
        if (plan.fuel) {
          w.localGet(fuel).i32Const(1).op("i32_sub").localTee(fuel);
          refillIfNegative();
        }
        return;
      case Op.br:
      case Op.br_if:
        if (anyExtra) {
          w.byte(op);
          w.u32(depthFor(ins.index!));
        } else raw();
        return;
      case Op.br_table:
        if (anyExtra) w.brTable(ins.depths!.map(depthFor), depthFor(ins.index!));
        else raw();
        return;
      case Op.end:
        if (open > 0 && extra.pop() === 3) {
          open--;
          raw(); // $L
          w.br(2).end(); // out of $done; $cold:
          emitRefillOrTrap(w, site, 1);
          w.br(0).end().end(); // into $again
          return;
        }
        if (open-- > 0 || !wrapped) {
          raw();
          return;
        }
        w.end(); // the wrapper block
        exit();
        w.end();
        return;
      case Op.call:
      case Op.call_indirect: {
        // Charge 1 and test, as KP-C's call sites do; hand the counter over unless the
        // callee provably never looks at it.
        const handOver = op === Op.call_indirect || ctx.touchesFuel(ins.index!);
        w.localGet(fuel).i32Const(1).op("i32_sub");
        if (handOver) {
          w.localTee(fuel).globalSet(ctx.fuelGlobal);
          w.localGet(fuel);
          refillIfNegative(); // the refill stores the new counter in the global too
        } else {
          w.localTee(fuel);
          refillIfNegative();
        }
        raw();
        if (handOver) w.globalGet(ctx.fuelGlobal).localSet(fuel);
        return;
      }
      case Op.return:
        exit();
        raw();
        return;
      case Op.global_get:
        w.globalGet(ctx.remapGlobal(ins.index!));
        return;
      case Op.global_set:
        if (ctx.stackPointer && ins.index === spOriginal(ctx)) {
          w.localTee(scratch).i32Const(ctx.stackPointer.floor).op("i32_lt_u");
          w.if().op("unreachable").end().localGet(scratch);
        }
        w.globalSet(ctx.remapGlobal(ins.index!));
        return;
      default:
        if (isBulk(ins)) {
          // The length is on top of the stack: charge length >> BULK_BYTES_SHIFT first.
          w.localTee(scratch).localGet(fuel).localGet(scratch).i32Const(BULK_BYTES_SHIFT);
          w.op("i32_shr_u").op("i32_sub").localTee(fuel);
          refillIfNegative();
        }
        raw();
    }
  });
  return { locals: [...locals, ...added], body: w.finish().slice() };
}

/** The stack pointer's original index (the remap never moves imported globals). */
function spOriginal(ctx: MeterContext): number {
  return ctx.stackPointer!.global;
}

function isBulk(ins: Instruction): boolean {
  return ins.opcode === 0xfc && (ins.sub === FC_MEMORY_COPY || ins.sub === FC_MEMORY_FILL);
}
