// Quarantine: a plugin that faults too often within a time window is disabled (its upcalls
// throw QuarantineError until the host reinstates it) or unlinked with its dependents, so one
// broken or hostile plugin cannot keep a service busy with faults.

import { QuarantineError } from "./errors.ts";
import type { Plugin } from "./plugin.ts";
import type { AnyFunction } from "./upcall.ts";

/** When a runtime quarantines a faulting plugin, and what quarantine does to it. */
export interface QuarantinePolicy {
  /** Faults within `windowMs` that quarantine a plugin. */
  faults: number;
  /** The sliding window, in milliseconds. */
  windowMs: number;
  /** `disable`: upcalls are refused until reinstated; `unlink`: removed with its dependents. */
  action: "disable" | "unlink";
}

/** The policy a runtime uses for what `RuntimeOptions.quarantine` leaves out. */
export const defaultQuarantine: QuarantinePolicy = {
  faults: 10,
  windowMs: 60_000,
  action: "disable",
};

/**
 * Counts a fault at `now` in a window of recent fault times (kept in order, trimmed here); true
 * when the window holds `policy.faults` of them: the plugin is to be quarantined. Hosts that
 * count faults outside a runtime (e.g. for runtimes in other threads) share these semantics.
 */
export function strikeWindow(
  recent: number[],
  policy: Pick<QuarantinePolicy, "faults" | "windowMs">,
  now = Date.now(),
): boolean {
  recent.push(now);
  while (recent.length > 0 && recent[0]! <= now - policy.windowMs) recent.shift();
  return recent.length >= policy.faults;
}

/**
 * The quarantine bookkeeping of one runtime: the fault window of each plugin and the entries
 * that refuse calls into a disabled one. It decides and disables; unlinking is the runtime's.
 */
export class QuarantineWatch {
  constructor(
    private readonly runtime: string,
    readonly policy: QuarantinePolicy | false,
  ) {}

  /** Counts a fault against `plugin`; true when that makes it one fault too many. */
  strike(plugin: Plugin): boolean {
    const policy = this.policy;
    if (!policy || plugin.disabled) return false;
    return strikeWindow(plugin.recentFaults, policy);
  }

  /** Points every handle on the plugin's symbols at an entry refusing the call. */
  disable(plugin: Plugin): void {
    plugin.disabled = true;
    for (const slot of plugin.slots) slot.bind(this.refusal(plugin, slot.symbol), false);
  }

  /** Clears the plugin's quarantine state; the runtime then rebinds its handles. */
  lift(plugin: Plugin): void {
    plugin.disabled = false;
    plugin.recentFaults.length = 0;
  }

  /** The entry a handle of a disabled plugin calls: it throws QuarantineError. */
  refusal(plugin: Plugin, symbol: string): AnyFunction {
    const runtime = this.runtime;
    const name = plugin.name;
    return () => {
      throw new QuarantineError(runtime, name, symbol);
    };
  }
}
