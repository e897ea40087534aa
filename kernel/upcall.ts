// Upcall handles: the kernel's `call_plugin()` gate, on the hot path.
//
// A handle is a JS function specialised for its arity, created once by `lookup`. It reads the
// current target from its slot (so a hot swap is one property store and handles follow it),
// calls the module's `F$entry` export with the fuel budget (the entry sets the fuel global in
// wasm, where that is cheap, and leaves the remaining fuel at FUEL_LEFT_ADDR), and turns traps
// into PluginFaults. Nothing is allocated per call.

import { FUEL_LEFT_ADDR } from "../cc/module.ts";

// biome-ignore lint/suspicious/noExplicitAny: upcall targets are wasm functions of any arity.
export type AnyFunction = (...args: any[]) => any;

/** What every handle of one runtime shares. */
export interface Gate {
  /** Upcalls currently on the stack (host callbacks may call back into plugins). */
  depth: number;
  /** Words of the runtime's memory; refreshed by the runtime when the memory grows. */
  words: Int32Array;
  /** Bookkeeping and classification after an exception escaped the target; returns what to throw. */
  fault(e: unknown, slot: UpcallSlot): unknown;
}

/** The word index where `F$entry` leaves the remaining fuel. */
export const FUEL_LEFT_WORD = FUEL_LEFT_ADDR >> 2;

/**
 * One exported symbol of a runtime, as seen by its handles. `entry` is called as
 * `entry(budget, ...args)`; when the symbol is unlinked or its plugin quarantined it is a
 * function that throws the reason.
 */
export class UpcallSlot {
  calls = 0;
  fuelUsed = 0;
  /** The plugin currently defining the symbol (owner type is the runtime's business). */
  owner: unknown = undefined;
  entry: AnyFunction;
  budget: number;
  private handle: AnyFunction | undefined;

  constructor(
    readonly symbol: string,
    readonly signature: string,
    readonly arity: number,
    readonly gate: Gate,
    entry: AnyFunction,
    budget: number,
  ) {
    this.entry = entry;
    this.budget = budget;
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
 * literal, so a shared factory would make the `slot.entry(...)` call site megamorphic across
 * all handles and cost ~20 ns per upcall. A fixed argument list avoids rest/spread.
 */
function makeHandle(arity: number): HandleFactory {
  const params = Array.from({ length: arity }, (_, i) => `a${i}`);
  const args = ["slot.budget", ...params].join(", ");
  const body = `
    return function upcall(${params.join(", ")}) {
      gate.depth++;
      try {
        const result = slot.entry(${args});
        gate.depth--;
        slot.calls++;
        slot.fuelUsed += slot.budget - gate.words[${FUEL_LEFT_WORD}];
        return result;
      } catch (e) {
        throw gate.fault(e, slot);
      }
    };`;
  return new Function("slot", "gate", body) as HandleFactory;
}

const adapters = new Map<
  string,
  (fn: AnyFunction, fuel: WebAssembly.Global | undefined, gate: Gate) => AnyFunction
>();

/**
 * An entry-shaped function for an export that has no `F$entry`: modules compiled without fuel
 * metering (the budget is dropped), or metered modules from a compiler that emits no entries
 * (the fuel global is set and read back from JS: correct, but ~30 ns slower per upcall).
 */
export function fallbackEntry(
  fn: AnyFunction,
  arity: number,
  fuel: WebAssembly.Global | undefined,
  gate: Gate,
): AnyFunction {
  const key = `${arity}:${fuel ? "m" : "u"}`;
  let make = adapters.get(key);
  if (!make) {
    const params = Array.from({ length: arity }, (_, i) => `a${i}`).join(", ");
    const sep = arity ? ", " : "";
    const body = fuel
      ? `fuel.value = budget; const r = fn(${params}); gate.words[${FUEL_LEFT_WORD}] = fuel.value; return r;`
      : `gate.words[${FUEL_LEFT_WORD}] = budget; return fn(${params});`;
    make = new Function(
      "fn",
      "fuel",
      "gate",
      `return function entry(budget${sep}${params}) { ${body} };`,
    ) as (fn: AnyFunction, fuel: WebAssembly.Global | undefined, gate: Gate) => AnyFunction;
    adapters.set(key, make);
  }
  return make(fn, fuel, gate);
}
