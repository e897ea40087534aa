// <time.h> for plugins. clock() is deterministic: it counts the fuel the current upcall has
// spent (FUEL_PER_CLOCK units a tick, CLOCKS_PER_SEC = 1000000, so one tick is about a
// microsecond of compiled work; see fuel.ts), so a plugin measures its own work, repeatably,
// and learns nothing about the host's load. time() is the host's wall clock in seconds (the
// only host-dependent value). All O(1): no fuel beyond the call.

import { HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";
import type { Runtime } from "./runtime.ts";
import type { AnyFunction } from "./upcall.ts";

/** Fuel units per clock() tick (a unit is ~1 ns of compiled work, a tick ~1 µs). */
export const FUEL_PER_CLOCK = 1000;

export function makeTimeFunctions(runtime: Runtime | undefined): Record<string, AnyFunction> {
  const rt = runtime as Runtime;
  return {
    clock: () => Math.floor(Math.max(0, rt.fuelLeft - rt.meter.available()) / FUEL_PER_CLOCK),
    time: (t: number) => {
      const now = Math.floor(Date.now() / 1000) | 0;
      if (t !== 0) {
        const at = t >>> 0;
        if (inNullPage(at)) throw nullPointerTrap("time", at);
        if (at + 4 > rt.views.fresh().u8.length) {
          throw new HostTrap("out-of-bounds", `time: ${at} is outside the memory`);
        }
        rt.views.dv.setInt32(at, now, true);
      }
      return now;
    },
    difftime: (a: number, b: number) => a - b,
  };
}
