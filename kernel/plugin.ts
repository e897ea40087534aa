// A plugin linked into a runtime: its current instance plus the bookkeeping the host reads
// (calls, faults by kind, fuel used) and its quarantine state.

import type { CompiledModule, FunctionSymbol } from "../cc/index.ts";
import type { FaultKind } from "./faults.ts";
import { isForeign } from "./foreign.ts";
import { type ForeignMemory, ownMemoryOf } from "./foreign-memory.ts";
import type { Resolution } from "./linker.ts";
import type { AnyFunction, UpcallSlot } from "./upcall.ts";

/** One instantiation of a plugin's module. A hot swap or relink makes a new one. */
export interface LinkedModule {
  module: CompiledModule;
  instance: WebAssembly.Instance;
  /** Plain exports by symbol (what other plugins import). */
  functions: Map<string, AnyFunction>;
  /** Entries taking the fuel budget, by symbol; absent for code that never touches fuel. */
  entries: Map<string, AnyFunction>;
  exports: Map<string, FunctionSymbol>;
  resolutions: Resolution<Plugin>[];
  dataBase: number;
  tableBase: number;
  /** The functions it was instantiated with (an instance can be reused only with the same). */
  imports: AnyFunction[];
  /** Its static data right after instantiation, when small enough to pool the instance. */
  image: Uint8Array | undefined;
  /** Its function-table entries, kept while it is pooled (the slots are emptied meanwhile). */
  elements: unknown[] | undefined;
}

/** A plugin's counters since it was added (`Runtime.stats`, `Plugin.stats`). */
export interface PluginStats {
  /** Upcalls into it. */
  calls: number;
  /** Fuel its upcalls used. */
  fuelUsed: number;
  /** Faults by kind. */
  faults: Partial<Record<FaultKind, number>>;
  /** Quarantined: its upcalls are refused until the host reinstates it. */
  disabled: boolean;
}

/**
 * A named module linked into a runtime: its current instance (replaced by hot swaps and
 * relinks) and the counters the host reads. It is not the compiled code (a `CompiledModule`
 * can be linked into many runtimes) and not callable itself: its symbols are called through
 * `runtime.lookup` or `runtime.call`.
 */
export class Plugin {
  /** Counters of slots this plugin no longer owns (folded in when a slot is rebound). */
  private pastCalls = 0;
  private pastFuel = 0;
  readonly faults: Partial<Record<FaultKind, number>> = {};
  /** Times (ms) of recent faults, for the quarantine window. */
  readonly recentFaults: number[] = [];
  disabled = false;
  readonly slots = new Set<UpcallSlot>();
  /** Plugins whose current code imports this one's symbols (kept up to date by the runtime). */
  readonly importers = new Set<Plugin>();

  constructor(
    readonly name: string,
    public linked: LinkedModule,
  ) {}

  get module(): CompiledModule {
    return this.linked.module;
  }

  /**
   * A standalone foreign module's own memory, where the host allocates the buffers its pointer
   * parameters refer to (foreign-memory.ts); undefined for code in the runtime's memory.
   */
  get ownMemory(): ForeignMemory | undefined {
    const m = this.linked.module;
    if (!isForeign(m) || m.foreign.kind !== "standalone") return undefined;
    return ownMemoryOf(this.linked.instance, this.name);
  }

  /** Plugins whose symbols this one imports. */
  get dependencies(): Set<Plugin> {
    const out = new Set<Plugin>();
    for (const r of this.linked.resolutions) if (r.kind === "plugin") out.add(r.plugin);
    return out;
  }

  /** Records the counters of a slot that stops belonging to this plugin. */
  detachSlot(slot: UpcallSlot): void {
    this.pastCalls += slot.calls;
    this.pastFuel += slot.fuelUsed;
    slot.calls = 0;
    slot.fuelUsed = 0;
    this.slots.delete(slot);
  }

  get stats(): PluginStats {
    let calls = this.pastCalls;
    let fuelUsed = this.pastFuel;
    for (const s of this.slots) {
      calls += s.calls;
      fuelUsed += s.fuelUsed;
    }
    return { calls, fuelUsed, faults: { ...this.faults }, disabled: this.disabled };
  }
}

/** Every plugin importing (directly or not) from `p`. */
export function dependentsOf(p: Plugin): Set<Plugin> {
  const out = new Set<Plugin>();
  const todo = [p];
  while (todo.length > 0) {
    for (const q of todo.pop()!.importers) {
      if (q === p || out.has(q)) continue;
      out.add(q);
      todo.push(q);
    }
  }
  return out;
}

/** Orders plugins so that each comes after the ones (of the set) it imports from. */
export function inDependencyOrder(set: Set<Plugin>): Plugin[] {
  const order: Plugin[] = [];
  const done = new Set<Plugin>();
  const visit = (p: Plugin) => {
    if (done.has(p)) return;
    done.add(p);
    for (const d of p.dependencies) if (set.has(d)) visit(d);
    order.push(p);
  };
  for (const p of set) visit(p);
  return order;
}
