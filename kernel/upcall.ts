// Upcall handles: the kernel's `call_plugin()` gate, on the hot path.
//
// A handle is a JS function specialised for its arity, created once by `lookup`. It reads the
// current target from its slot (so a hot swap is one property store and handles follow it),
// calls the module's `F$entry` export with the fuel budget (the entry sets the fuel global in
// wasm, where that is cheap, and leaves the remaining fuel at FUEL_LEFT_ADDR), and turns traps
// into PluginFaults. Nothing is allocated per call.
//
// Budgets: an outermost upcall gets `gate.budget`. By default that is the runtime's fuel limit,
// afresh for every upcall; while a shared budget is open (Runtime.beginBudget, e.g. one request
// running a chain of plugins) every upcall stores what it left back into `gate.budget`, so the
// next one gets only the rest. A nested upcall (a host function calling back into a plugin)
// continues with the fuel its caller has left, read from the fuel global: it never refills it.
//
// Budgets above 2^31-1 (what the i32 counter holds) take `wideUpcall`, off the hot path: the
// rest of the budget goes into the runtime's fuel reserve (wasm/fuel-refill.ts) for the whole
// outermost upcall, nested ones included, and fuel used and left count counter + reserve.

import { FUEL_LEFT_ADDR } from "../cc/index.ts";
import { FUEL_COUNTER_MAX } from "../wasm/index.ts";
import { setFuel } from "./fuel.ts";

// biome-ignore lint/suspicious/noExplicitAny: upcall targets are wasm functions of any arity.
export type AnyFunction = (...args: any[]) => any;

/** What every handle of one runtime shares. */
export interface Gate {
  /** Upcalls currently on the stack (host callbacks may call back into plugins). */
  depth: number;
  /** Fuel for the next outermost metered upcall. */
  budget: number;
  /** Whether upcalls draw from one budget (each leaves `budget` at what it did not use). */
  shared: boolean;
  /** The fuel global's value: what the running plugin has left, for a nested upcall. */
  liveFuel(): number;
  /** An outermost upcall with a budget above the counter's range is running. */
  wide: boolean;
  /** The fuel counter and the reserve above it (wasm/fuel-refill.ts). */
  fuel: WebAssembly.Global;
  reserve: WebAssembly.Global;
  /** Words of the runtime's memory; refreshed by the runtime when the memory grows. */
  words: Int32Array;
  /** Re-fetches `words` after the memory grew behind the runtime's back (e.g. `memory.grow`). */
  refreshWords(): Int32Array;
  /** Bookkeeping and classification after an exception escaped the target; returns what to throw. */
  fault(e: unknown, slot: UpcallSlot): unknown;
}

/** The word index where `F$entry` leaves the remaining fuel. */
export const FUEL_LEFT_WORD = FUEL_LEFT_ADDR >> 2;

/**
 * One exported symbol of a runtime, as seen by its handles: the current entry and the call and
 * fuel counters. It is not a plugin's function: it outlives the hot swaps and unlinks of the
 * code behind it, and `runtime.lookup` hands out its handle (`upcall`). A metered `entry` is
 * called as `entry(budget, ...args)`; an unmetered one (code that never touches fuel) as
 * `entry(...args)`. When the symbol is unlinked or its plugin quarantined, `entry` is a function
 * that throws the reason.
 */
export class UpcallSlot {
  calls = 0;
  fuelUsed = 0;
  /** The plugin currently defining the symbol (owner type is the runtime's business). */
  owner: unknown = undefined;
  entry: AnyFunction;
  /** Whether `entry` takes the fuel budget first and leaves the remaining fuel in memory. */
  metered = false;
  private handle: AnyFunction | undefined;

  constructor(
    readonly symbol: string,
    readonly signature: string,
    readonly arity: number,
    readonly gate: Gate,
    entry: AnyFunction,
  ) {
    this.entry = entry;
  }

  /** Points the slot (and so every handle on it) at new code: one pair of property stores. */
  bind(entry: AnyFunction, metered: boolean): void {
    this.entry = entry;
    this.metered = metered;
  }

  /** The resolved upcall function for this slot (created once). */
  get upcall(): AnyFunction {
    this.handle ??= makeHandle(this.arity)(this, this.gate);
    return this.handle;
  }
}

type HandleFactory = (slot: UpcallSlot, gate: Gate) => AnyFunction;

/**
 * Compiled anew for every handle (not shared per arity): V8 keeps type feedback per function
 * literal, so a shared factory would make the `slot.entry(...)` call sites megamorphic across
 * all handles and cost ~20 ns per upcall. A fixed argument list avoids rest/spread. A detached
 * view reads `undefined`: that is the cheap check for a memory that grew unnoticed.
 */
function makeHandle(arity: number): HandleFactory {
  const params = Array.from({ length: arity }, (_, i) => `a${i}`).join(", ");
  const sep = arity ? ", " : "";
  const body = `
    return function upcall(${params}) {
      try {
        let result;
        if (slot.metered) {
          const budget = ++gate.depth === 1 ? gate.budget : gate.liveFuel();
          if (budget > ${FUEL_COUNTER_MAX} || gate.wide) {
            result = wideUpcall(slot, gate, budget, [${params}]);
          } else {
            result = slot.entry(budget${sep}${params});
            let left = gate.words[${FUEL_LEFT_WORD}];
            if (left === undefined) left = gate.refreshWords()[${FUEL_LEFT_WORD}];
            slot.fuelUsed += budget - left;
            if (gate.shared) gate.budget = left;
          }
        } else {
          gate.depth++;
          result = slot.entry(${params});
        }
        gate.depth--;
        slot.calls++;
        return result;
      } catch (e) {
        throw gate.fault(e, slot);
      }
    };`;
  const factory = new Function("wideUpcall", "slot", "gate", body);
  return factory.bind(undefined, wideUpcall) as HandleFactory;
}

/**
 * A metered upcall whose fuel does not fit the i32 counter: an outermost one with a budget
 * above 2^31-1 (the rest waits in the reserve until the upcall returns or faults, see
 * Runtime.fault), or one nested in it (its caller's counter, and the reserve they share).
 */
function wideUpcall(slot: UpcallSlot, gate: Gate, budget: number, args: unknown[]): unknown {
  const outermost = gate.depth === 1;
  let total = budget;
  if (outermost) {
    setFuel(gate.fuel, gate.reserve, budget);
    gate.wide = true;
  } else total += gate.reserve.value as number;
  const counter = gate.fuel.value as number;
  const result = slot.entry(counter, ...args);
  let left = gate.words[FUEL_LEFT_WORD];
  if (left === undefined) left = gate.refreshWords()[FUEL_LEFT_WORD]!;
  left += gate.reserve.value as number;
  if (outermost) {
    gate.reserve.value = 0;
    gate.wide = false;
  }
  slot.fuelUsed += total - left;
  if (gate.shared) gate.budget = left;
  return result;
}
