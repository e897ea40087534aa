// The parts of instantiating and faulting that differ for foreign modules (foreign.ts):
//   - the start function (a dylink.0 library's `__wasm_apply_data_relocs`, or anything a
//     tenant put there) and `__wasm_call_ctors` run metered, with the runtime's budget; a trap
//     or running out of fuel there refuses the link;
//   - a standalone module's `F$entry` leaves the remaining fuel in the `fuel` global only, so
//     its entries are wrapped to copy it where upcall handles read it (FUEL_LEFT_ADDR);
//   - the rewriter's depth counter (`__kplug_depth`) tells a deep recursion from other
//     `unreachable` traps, and is reset after faults (a trap skips the decrements).

import { ENTRY_SUFFIX, FUEL_LEFT_ADDR } from "../cc/index.ts";
import { decodeModule, FUEL_COUNTER_MAX, functionNames } from "../wasm/index.ts";
import { type FaultKind, faultingFrame } from "./faults.ts";
import type { ForeignModule } from "./foreign.ts";
import { isForeign } from "./foreign.ts";
import { setFuel } from "./fuel.ts";
import { LinkError } from "./linker.ts";
import type { RuntimeResources } from "./memory.ts";
import type { LinkedModule } from "./plugin.ts";
import type { AnyFunction } from "./upcall.ts";

/** Instantiates a foreign module; its start function and constructors run with `budget` fuel. */
export function startForeign(
  wasm: WebAssembly.Module,
  module: ForeignModule,
  env: Record<string, unknown>,
  resources: RuntimeResources,
  budget: number,
): WebAssembly.Instance {
  const { fuel, fuelReserve } = resources;
  // Linking may happen inside an upcall (a host callback hot-swapping): the caller's fuel survives.
  const saved = fuel.value as number;
  const savedReserve = fuelReserve.value as number;
  const counter = Math.min(budget, FUEL_COUNTER_MAX);
  const failure = (phase: string, e: unknown) => {
    const why = (fuel.value as number) < 0 ? "ran out of fuel" : (e as Error).message;
    return new LinkError(`plugin '${module.file}': ${phase} failed: ${why}`, module.file);
  };
  try {
    setFuel(fuel, fuelReserve, budget);
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(wasm, { env: env as WebAssembly.ModuleImports });
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) throw failure("start function", e);
      throw e;
    }
    if (module.foreign.ctors) {
      const ctors = instance.exports[`__wasm_call_ctors${ENTRY_SUFFIX}`] as AnyFunction;
      try {
        setFuel(fuel, fuelReserve, budget);
        ctors(counter);
      } catch (e) {
        if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
          throw failure("constructors (__wasm_call_ctors)", e);
        }
        throw e;
      }
    }
    return instance;
  } finally {
    fuel.value = saved;
    fuelReserve.value = savedReserve;
  }
}

/** Wraps a standalone module's entries so that upcall handles find the remaining fuel. */
export function adaptForeign(linked: LinkedModule, resources: RuntimeResources): void {
  const module = linked.module as ForeignModule;
  if (module.foreign.fuelLeft.in === "memory") return;
  const fuel = resources.fuel;
  const memory = resources.memory;
  let words = new Int32Array(memory.buffer);
  const word = FUEL_LEFT_ADDR >> 2;
  for (const [symbol, entry] of linked.entries) {
    linked.entries.set(symbol, (...args: unknown[]) => {
      const result = entry(...args);
      if (words.length === 0) words = new Int32Array(memory.buffer); // the memory grew
      words[word] = fuel.value as number;
      return result;
    });
  }
}

function depthGlobal(l: LinkedModule): WebAssembly.Global | undefined {
  if (!isForeign(l.module)) return undefined;
  return l.instance.exports[l.module.foreign.depth.export] as WebAssembly.Global | undefined;
}

const namesByModule = new WeakMap<ForeignModule, Set<string>>();

/** Names of a foreign module's functions (from its name section), decoded on first use. */
function foreignFunctionNames(m: ForeignModule): Set<string> {
  let names = namesByModule.get(m);
  if (!names) {
    try {
      names = new Set(functionNames(decodeModule(m.wasm).customs).values());
    } catch {
      names = new Set();
    }
    namesByModule.set(m, names);
  }
  return names;
}

/**
 * The kind of an `unreachable` trap with fuel left, when foreign code explains it: a depth
 * counter past its limit is a stack exhaustion; an `unreachable` in a foreign function is the
 * module's own (e.g. `__builtin_trap()`). Undefined leaves it to KP-C's rule (shadow stack).
 * A static function of a KP-C plugin named like a foreign function is misread as foreign.
 */
export function foreignUnreachable(
  e: unknown,
  linked: Iterable<LinkedModule>,
): FaultKind | undefined {
  let foreignFrame = false;
  const frame = faultingFrame(e);
  for (const l of linked) {
    const g = depthGlobal(l);
    if (!g) continue;
    const m = l.module as ForeignModule;
    if ((g.value as number) > m.foreign.depth.max) return "stack-exhausted";
    if (frame?.name !== undefined && foreignFunctionNames(m).has(frame.name)) foreignFrame = true;
  }
  return foreignFrame ? "unreachable" : undefined;
}

/** Sets every foreign depth counter back to 0 (after a fault, with no upcall running). */
export function resetForeignDepths(linked: Iterable<LinkedModule>): void {
  for (const l of linked) {
    const g = depthGlobal(l);
    if (g && g.value !== 0) g.value = 0;
  }
}
