// Calls, fuel and faults of every plugin, per runtime, summed on the main thread from what each
// job reports (pool-protocol.ts StatsDelta): runtimes live in workers, which come and go, so the
// totals the API and /metrics show are kept here. Only plugins that ran have an entry.

import type { FaultKind } from "../kernel/index.ts";
import type { PluginCounts, StatsDelta } from "./pool-protocol.ts";

export interface PluginTotals extends PluginCounts {
  /** Quarantined (set by the caller from the quarantine book). */
  disabled: boolean;
}

export class PluginCounters {
  private readonly runtimes = new Map<string, Map<string, PluginCounts>>();
  private readonly memory = new Map<string, number>();

  add(delta: StatsDelta | undefined): void {
    if (delta === undefined) return;
    this.memory.set(delta.runtime, delta.memoryBytes);
    let plugins = this.runtimes.get(delta.runtime);
    if (plugins === undefined) {
      plugins = new Map();
      this.runtimes.set(delta.runtime, plugins);
    }
    // Per job result: for-in rather than Object.entries (no arrays per request).
    for (const name in delta.plugins) {
      const d = delta.plugins[name];
      let c = plugins.get(name);
      if (c === undefined) {
        c = { calls: 0, fuelUsed: 0, faults: {} };
        plugins.set(name, c);
      }
      c.calls += d.calls;
      c.fuelUsed += d.fuelUsed;
      for (const k in d.faults) {
        const kind = k as FaultKind;
        c.faults[kind] = (c.faults[kind] ?? 0) + (d.faults[kind] ?? 0);
      }
    }
  }

  /** A plugin's totals (zeros if it never ran). */
  of(runtime: string, plugin: string, disabled = false): PluginTotals {
    const c = this.runtimes.get(runtime)?.get(plugin);
    return {
      calls: c?.calls ?? 0,
      fuelUsed: c?.fuelUsed ?? 0,
      faults: { ...c?.faults },
      disabled,
    };
  }

  /** The runtime's memory size after its last job (0 before any). */
  memoryOf(runtime: string): number {
    return this.memory.get(runtime) ?? 0;
  }

  /** Names of the plugins of a runtime that ran. */
  pluginsOf(runtime: string): string[] {
    return [...(this.runtimes.get(runtime)?.keys() ?? [])];
  }

  /** Every (runtime, plugin, counts) that ran. */
  *entries(): Iterable<[string, string, PluginCounts]> {
    for (const [rt, plugins] of this.runtimes) for (const [p, c] of plugins) yield [rt, p, c];
  }

  /** Starts a plugin's counts over (its code was replaced) or drops a runtime's. */
  reset(runtime: string, plugin?: string): void {
    if (plugin === undefined) {
      this.runtimes.delete(runtime);
      this.memory.delete(runtime);
    } else this.runtimes.get(runtime)?.delete(plugin);
  }
}
