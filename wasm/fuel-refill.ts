// The fuel refill: how a budget above 2^31-1 reaches code whose counter is an i32.
//
// Generated code (KP-C's and rewritten foreign code alike) keeps its fuel in an i32 counter:
// the `fuel` global and a local copy in each function, charged and tested on the hot path.
// A budget may be up to 2^53-1, so what does not fit the counter waits in `fuel_reserve`, a
// mutable f64 global (exact for every integer up to 2^53). When a charge finds the counter
// short, the charge site's cold path refills it instead of trapping at once: KP-C code does
// it inline (cc/lower-expr.ts refillOrTrap, same arithmetic), rewritten foreign code calls the
// refill function added to the module (wasm/instrument.ts):
//
//   refill(counter: i32, cost: i32) -> i32
//     total = reserve + counter - cost   (counter signed: after a charge it may be negative;
//                                          cost unsigned: a counted loop's trip count)
//     total < 0: the budget is spent. fuel = -1, reserve = 0, returns -1: the site traps
//                with `unreachable` (its own location, so fault reports name the C line).
//     else:      moves min(total, 2^31-1) into the counter, the rest stays in the reserve;
//                fuel = counter (call sites hand it to the callee), returns it.
//
// Fuel left is always `fuel + fuel_reserve`; the reserve is 0 unless the host put a budget
// above 2^31-1 there (kernel/runtime.ts), so ordinary budgets never take this path.

import { CodeWriter, type FuncType } from "./encoder.ts";
import type { ValType } from "./opcodes.ts";

/** The import that holds a budget's part above the i32 counter. */
export const FUEL_RESERVE_GLOBAL = { module: "env", name: "fuel_reserve" } as const;

/** The most the i32 counter holds; the rest of a budget waits in the reserve. */
export const FUEL_COUNTER_MAX = 0x7fffffff;

/** The refill function's type. */
export const FUEL_REFILL_TYPE: FuncType = { params: ["i32", "i32"], results: ["i32"] };

/** The refill function's locals (after its two parameters) and body, without the final `end`. */
export function fuelRefillBody(
  fuelGlobal: number,
  reserveGlobal: number,
): { locals: ValType[]; body: CodeWriter } {
  const counter = 0;
  const cost = 1;
  const total = 2;
  const moved = 3;
  const w = new CodeWriter(96);
  w.globalGet(reserveGlobal);
  w.localGet(counter).op("f64_convert_i32_s").op("f64_add");
  w.localGet(cost).op("f64_convert_i32_u").op("f64_sub");
  w.localTee(total).f64Const(0).op("f64_lt").if();
  w.i32Const(-1).globalSet(fuelGlobal);
  w.f64Const(0).globalSet(reserveGlobal);
  w.i32Const(-1).op("return");
  w.end();
  w.localGet(total).f64Const(FUEL_COUNTER_MAX).op("f64_min").localTee(moved);
  w.localGet(total).localGet(moved).op("f64_sub");
  w.globalSet(reserveGlobal); // stack: moved
  w.op("i32_trunc_f64_s").localTee(counter).globalSet(fuelGlobal);
  w.localGet(counter);
  return { locals: ["f64", "f64"], body: w };
}

/**
 * The cold path of a charge site, emitted inside its `if (counter < 0)` (or `if (cost >
 * counter)`) with the counter (and, for `withCost`, the unsigned cost) on the stack:
 * refills `counterLocal` or traps.
 */
export function emitRefillOrTrap(
  w: CodeWriter,
  refillFunc: number,
  counterLocal: number,
  withCost = false,
): void {
  if (!withCost) w.i32Const(0);
  w.call(refillFunc).localTee(counterLocal).i32Const(0).op("i32_lt_s");
  w.if().op("unreachable").end();
}
