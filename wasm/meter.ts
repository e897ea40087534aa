// Fuel metering and a call-depth limit injected into one function body, following kplug's
// convention (cc/module.ts) so rewritten foreign code and KP-C code spend one budget:
//
//   - The counter lives in a new local, loaded from the `fuel` global at entry, stored back
//     before every call and every exit, and reloaded after every call (callees and host
//     functions see and charge the same budget).
//   - The body is cut into metering blocks at the points where control can enter other than by
//     falling through: the entry, loop headers, `if` and `else` arms, and after every `end`.
//     (Or, with the "loop" granularity, only at the entry and loop headers.) Each block's cost (its instruction count; block/loop/end/else/nop are
//     free) is subtracted at its start. An early exit by a branch has then paid for the rest of
//     its block: deterministic, and on the safe side.
//   - The counter is tested (and the function traps with `unreachable` after storing it to
//     `fuel`) only at the entry and at loop headers, whose cost is at least 1. Every other path
//     runs forward, so between two tests a function spends at most its own size: the overshoot
//     is bounded, the counter can never wrap, and every loop iteration pays and checks.
//   - memory.copy and memory.fill cost their length / 64 more, charged and tested before they run.
//   - Depth: a global incremented at entry and decremented at every exit; above the limit the
//     function traps with the global left at limit + 1, which tells a depth trap from others.
//     A trap skips the decrements, so the host resets the global after any fault.
//   - The original body is wrapped in a block typed with the function's results: branches to
//     the function's own label then reach the exit code instead of leaving the function.

import { forEachInstruction, type Instruction } from "./decoder.ts";
import { CodeWriter } from "./encoder.ts";
import { Op, type ValType } from "./opcodes.ts";

/** log2 of the bytes of memory.copy/memory.fill that cost one unit of fuel. */
export const BULK_BYTES_SHIFT = 6;

const FC_MEMORY_COPY = 10;
const FC_MEMORY_FILL = 11;

/**
 * "block": a charge at the start of every metering block (the cost of what runs).
 * "loop": one charge per function entry and loop iteration, for everything the function or
 * loop body contains outside nested loops, both arms of every `if` included: fewer charges
 * (cheaper), the same bound on time, but paths that skip code pay for it anyway.
 */
export type Granularity = "block" | "loop";

export interface MeterContext {
  /** Global indices after the rewrite. */
  fuelGlobal: number;
  depthGlobal: number;
  maxDepth: number;
  /** Maps the module's original global indices to the rewritten ones. */
  remapGlobal: (index: number) => number;
  /** With a shadow stack: every store to it traps when the new value is below `floor`. */
  stackPointer?: { global: number; floor: number };
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
  granularity: Granularity = "block",
): MeteredBody {
  // Pass 1: the cost of each metering block, in the order pass 2 reaches their starts, and
  // whether a scratch local is needed.
  const perLoop = granularity === "loop";
  const costs: number[] = [0];
  let current = 0;
  const open: number[] = []; // opcodes of the open blocks
  const resume: number[] = []; // per open loop: the enclosing region ("loop" granularity)
  let needScratch = false;
  const next = () => {
    current = costs.push(0) - 1;
  };
  forEachInstruction(body, (ins) => {
    const op = ins.opcode;
    if (op === Op.block || op === Op.loop || op === Op.if) {
      open.push(op);
      if (op === Op.if) costs[current]! += 1; // the `if` itself tests its condition
      if (op === Op.loop) resume.push(current);
      if (op === Op.loop || (op === Op.if && !perLoop)) next();
      return;
    }
    if (op === Op.else) {
      if (!perLoop) next();
      return;
    }
    if (op === Op.end) {
      const closed = open.pop();
      if (closed === Op.loop) {
        const outer = resume.pop()!;
        if (perLoop) current = outer;
      }
      if (closed !== undefined && !perLoop) next();
      return;
    }
    if (op === Op.nop) return;
    if (isBulk(ins)) needScratch = true;
    if (op === Op.global_set && ctx.stackPointer && ins.index === spOriginal(ctx)) {
      needScratch = true;
    }
    costs[current]! += 1;
  });

  const fuel = paramCount + locals.length;
  const scratch = fuel + 1;
  const w = new CodeWriter(body.length * 2 + 64);
  let block = 0;
  const charge = (check: boolean) => {
    const cost = check ? Math.max(costs[block]!, 1) : costs[block]!;
    block++;
    if (cost === 0) return;
    w.localGet(fuel).i32Const(cost).op("i32_sub");
    if (!check) {
      w.localSet(fuel);
      return;
    }
    w.localTee(fuel);
    trapIfNegative(w, fuel, ctx.fuelGlobal);
  };
  const store = () => w.localGet(fuel).globalSet(ctx.fuelGlobal);
  const exit = () => {
    store();
    w.globalGet(ctx.depthGlobal).i32Const(1).op("i32_sub").globalSet(ctx.depthGlobal);
  };

  // Prologue: depth (the fuel local is free scratch until it is loaded), then fuel.
  w.globalGet(ctx.depthGlobal).i32Const(1).op("i32_add").localTee(fuel).globalSet(ctx.depthGlobal);
  w.localGet(fuel).i32Const(ctx.maxDepth).op("i32_gt_u").if().op("unreachable").end();
  w.globalGet(ctx.fuelGlobal).localSet(fuel);
  charge(true);
  w.byte(Op.block);
  w.raw(resultBlock);

  // Pass 2: copy the instructions, with charges at block starts and fuel traffic at calls.
  forEachInstruction(body, (ins) => {
    const op = ins.opcode;
    const raw = () => w.raw(body.subarray(ins.offset, ins.next));
    switch (op) {
      case Op.block:
        open.push(op);
        raw();
        return;
      case Op.loop:
        open.push(op);
        raw();
        charge(true);
        return;
      case Op.if:
        open.push(op);
        raw();
        if (!perLoop) charge(false);
        return;
      case Op.else:
        raw();
        if (!perLoop) charge(false);
        return;
      case Op.end: {
        if (open.length === 0) {
          w.end(); // the wrapper block
          exit();
          w.end();
          return;
        }
        open.pop();
        raw();
        if (!perLoop) charge(false);
        return;
      }
      case Op.call:
      case Op.call_indirect:
        store();
        raw();
        w.globalGet(ctx.fuelGlobal).localSet(fuel);
        return;
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
          trapIfNegative(w, fuel, ctx.fuelGlobal);
        }
        raw();
    }
  });
  const added: ValType[] = needScratch ? ["i32", "i32"] : ["i32"];
  return { locals: [...locals, ...added], body: w.finish().slice() };
}

/** The stack pointer's original index (the remap never moves imported globals). */
function spOriginal(ctx: MeterContext): number {
  return ctx.stackPointer!.global;
}

function isBulk(ins: Instruction): boolean {
  return ins.opcode === 0xfc && (ins.sub === FC_MEMORY_COPY || ins.sub === FC_MEMORY_FILL);
}

/** With the counter on the stack: if negative, store it to `fuel` and trap. */
function trapIfNegative(w: CodeWriter, fuel: number, fuelGlobal: number): void {
  w.i32Const(0).op("i32_lt_s").if().localGet(fuel).globalSet(fuelGlobal).op("unreachable").end();
}
