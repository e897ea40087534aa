// The fuel refill: how a budget above 2^31-1 reaches code whose counter is an i32.
//
// Generated code (KP-C's and rewritten foreign code alike) keeps its fuel in an i32 counter:
// the `fuel` global and a local copy in each function, charged and tested on the hot path.
// A budget may be up to 2^53-1, so what does not fit the counter waits in `fuel_reserve`, a
// mutable f64 global (exact for every integer up to 2^53). When a charge finds the counter
// short, the charge site's cold path refills it instead of trapping at once, inline (KP-C
// code: cc/lower-expr.ts refillOrTrap; rewritten foreign code: `emitRefillOrTrap` below):
//
//     total = reserve + counter          (counter signed: after a charge it may be negative)
//     total < 0: the budget is spent. fuel = -1, reserve = 0, trap with `unreachable` (at the
//                charge site, so fault reports name its line).
//     else:      moves min(total, 2^31-1) into the counter, the rest stays in the reserve;
//                fuel = counter (call sites hand it to the callee).
//
// Inline, never a call: a call inside a loop, even on a path never taken, made V8 spill the
// loop's registers around it and cost the foreign suite 21 % (metered ÷ unmetered 1.21× with a
// call, bench group `foreign`). Even inline, cold code inside a hot loop cost 11 % (1.11×), so a
// loop header's refill sits after the loop, which is entered anew (wasm/meter.ts, and
// cc/lower-function.ts for KP-C): 1.03×, as before big budgets.
//
// Fuel left is always `fuel + fuel_reserve`; the reserve is 0 unless the host put a budget
// above 2^31-1 there (kernel/runtime.ts), so ordinary budgets never take this path.

import type { CodeWriter } from "./encoder.ts";

/** The import that holds a budget's part above the i32 counter. */
export const FUEL_RESERVE_GLOBAL = { module: "env", name: "fuel_reserve" } as const;

/** The most the i32 counter holds; the rest of a budget waits in the reserve. */
export const FUEL_COUNTER_MAX = 0x7fffffff;

/** Where a rewritten function's refill reads and writes. */
export interface RefillSite {
  fuelGlobal: number;
  reserveGlobal: number;
  /** The function's i32 counter local. */
  counterLocal: number;
  /** An f64 scratch local of the function. */
  totalLocal: number;
}

/**
 * The cold path of a charge site, emitted inside its `if (counter < 0)`: refills the counter
 * local (and the `fuel` global) from the reserve, or traps when the budget is spent. `spare`
 * units more go into the counter for a charge about to be made again (a loop header entered
 * anew after its refill).
 */
export function emitRefillOrTrap(w: CodeWriter, site: RefillSite, spare = 0): void {
  const { fuelGlobal, reserveGlobal, counterLocal, totalLocal } = site;
  w.globalGet(reserveGlobal).localGet(counterLocal).op("f64_convert_i32_s").op("f64_add");
  w.localTee(totalLocal).f64Const(0).op("f64_lt").if();
  w.f64Const(0).globalSet(reserveGlobal);
  w.i32Const(-1).globalSet(fuelGlobal);
  w.op("unreachable").end();
  w.localGet(totalLocal)
    .f64Const(FUEL_COUNTER_MAX - spare)
    .op("f64_min")
    .op("i32_trunc_f64_s");
  w.localTee(counterLocal).globalSet(fuelGlobal);
  w.localGet(totalLocal).localGet(counterLocal).op("f64_convert_i32_s").op("f64_sub");
  w.globalSet(reserveGlobal);
  if (spare) w.localGet(counterLocal).i32Const(spare).op("i32_add").localSet(counterLocal);
}
