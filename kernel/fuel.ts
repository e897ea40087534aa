// Fuel for work done in the host on a plugin's behalf.
//
// Compiled code keeps its fuel counter in a local and stores it to the runtime's `fuel` global
// before every call, reloading it after (cc/module.ts). So a host function called by a plugin
// finds the caller's remaining fuel in that global and charges its own work by lowering it;
// when it would go negative the plugin faults with `fuel-exhausted`.
//
// Costs, in fuel units. One unit is about what one metered loop iteration costs: a 50M budget
// of compiled loop work takes 31-86 ms on the 2-core Xeon of BENCHMARKS.md (0.6-1.7 ns a
// unit, depending on the load). The rates below come from measured host throughput; loops
// exhausting 50M units through one function took, in one run where the compiled loop took
// 86 ms: qsort 100 ms, malloc/free 100 ms, snprintf 70 ms, %.17g 75 ms, strcmp of 1 MiB 31 ms,
// strlen of 11 bytes 171 ms, strlen of 1 MiB 4.5 ms, memset of 1 MiB 10 ms. So the chosen
// ratio is host : compiled ≈ 1 : 1 for per-call work (at most 2x for the shortest calls) and
// bulk byte work is charged conservatively (it finishes its budget sooner than a loop):
//   - bulk byte work (fill, copy, native memchr/memcmp via Buffer: 10-23 bytes/ns): 1 unit per
//     8 bytes touched, plus 16 for the wasm-to-host call;
//   - a call back into the plugin from the host (qsort's comparator, ~10 ns): 16 units, on top
//     of what the comparator itself spends;
//   - allocator operations (O(1) in the number of blocks, ~100 ns with the call): 32 units,
//     plus zeroing (calloc) or moving (realloc) as bulk work;
//   - printf family (measured 0.4 µs for a short snprintf, 1 µs for %.17g, 25 µs for 1074
//     digits of %f): 200 units a call, 100 a conversion, 1 per 8 characters stored (snprintf
//     never builds what it truncates), floating conversions 500 + digits²/32 (BigInt work);
//     bytes written to stdout (printf, puts) 1 unit each more;
//   - memset/memcpy/memmove called directly are inlined by the compiler (memory.fill/copy) and
//     charge n/8 in compiled code (cc/lower-expr.ts, chargeBulk), before touching memory.
// The per-function table is in libc-string.ts and libc-string-extra.ts (string.h),
// libc-stdio.ts (stdio.h: printf, scanf and stream functions), libc-strtonum.ts (strto*, ato*),
// libc-math.ts and libc-time.ts (O(1)), qsort.ts and libc.ts (the rest: malloc, bsearch, atexit).
// O(1) built-ins (abs, sqrt, ctype, putchar, rand) charge nothing beyond the 1 unit the call
// itself costs in compiled code: touching the global costs ~40 ns, more than they do.
//
// Small charges are deferred: `charge` adds to a JS-side debt (~1 ns) and settles it with the
// global (a read and a write, ~40 ns) once it reaches SETTLE_AT units. Whatever debt is left
// when an upcall returns is settled by the next charge of the same runtime, so it is never
// lost, only late by less than SETTLE_AT units (~0.2 µs of work). Work whose size is known is
// charged with `take` *before* it is done: memset(p, c, 48 << 20) with too little fuel faults
// without touching memory.

import { FUEL_COUNTER_MAX } from "../wasm/index.ts";
import { HostTrap } from "./faults.ts";

/**
 * The largest fuel budget: 2^53-1, the largest integer a JS number (and the f64 reserve,
 * wasm/fuel-refill.ts) holds exactly, so fuel used and left stay exact.
 */
export const MAX_FUEL = Number.MAX_SAFE_INTEGER;

/** A fuel budget that is not a whole number of units in 1..MAX_FUEL. */
export class FuelBudgetError extends RangeError {
  override name = "FuelBudgetError";
}

/** Returns `fuel` when it is a valid budget (a whole number in 1..2^53-1); throws otherwise. */
export function checkFuelBudget(fuel: number, what = "fuel budget"): number {
  if (typeof fuel !== "number" || !Number.isInteger(fuel) || fuel < 1 || fuel > MAX_FUEL) {
    throw new FuelBudgetError(
      `${what} must be a whole number from 1 to ${MAX_FUEL} (2^53-1) (got ${String(fuel)})`,
    );
  }
  return fuel;
}

/**
 * Hands `fuel` (0..MAX_FUEL) to generated code: what the i32 counter holds goes into the `fuel`
 * global, the rest into the reserve its refill draws on (wasm/fuel-refill.ts).
 */
export function setFuel(fuelGlobal: WebAssembly.Global, reserve: WebAssembly.Global, fuel: number) {
  const counter = Math.min(fuel, FUEL_COUNTER_MAX);
  fuelGlobal.value = counter;
  reserve.value = fuel - counter;
}

/** Debt (units) at which deferred charges are settled with the fuel global. */
const SETTLE_AT = 256;

/** The unit costs every libc built-in uses; see the table above. */
export const HOST_COSTS = {
  /** Bytes of bulk work (fill, copy, native search or compare) per unit. */
  bulkBytesPerUnit: 8,
  /** Bytes of byte-at-a-time JS work per unit. */
  loopBytesPerUnit: 1,
  /** One call from the host back into plugin code (a qsort comparison). */
  callback: 16,
  /** One malloc, free, calloc or realloc (plus bytes zeroed or moved, as bulk work). */
  allocation: 32,
  /** Characters' worth of printf work per unit (printf.ts reports its work in characters). */
  charsPerUnit: 8,
  /** Bytes written to stdout (printf, puts), on top of formatting: I/O for the embedder. */
  stdoutPerByte: 1,
  /** Base cost of every call that does proportional work (the wasm-to-host call, ~10 ns). */
  call: 16,
  /**
   * One longjmp: V8 builds the exception and the stack trace its fault report needs, ~10-15 µs
   * (a unit is about a loop iteration, ~1 ns). Uncharged, a loop of longjmps ran 140 s of CPU
   * on a 50M budget; at this price it runs ~70 ms.
   */
  longjmp: 10_000,
} as const;

/** Units for `bytes` of bulk work (memset, memcpy, a native scan), call overhead included. */
export function bulkCost(bytes: number): number {
  return HOST_COSTS.call + Math.floor(bytes / HOST_COSTS.bulkBytesPerUnit);
}

/** Units for `bytes` of byte-at-a-time work. */
export function loopCost(bytes: number): number {
  return HOST_COSTS.call + Math.floor(bytes / HOST_COSTS.loopBytesPerUnit);
}

export class HostMeter {
  /** Units charged but not yet taken from the fuel global. */
  private debt = 0;

  constructor(
    private readonly fuel: WebAssembly.Global,
    /** The budget's part above the i32 counter (0 for budgets up to 2^31-1). */
    private readonly reserve: WebAssembly.Global,
  ) {}

  /** Charges a small amount of work already done (deferred; see SETTLE_AT). */
  charge(units: number): void {
    const debt = this.debt + units;
    if (debt < SETTLE_AT) {
      this.debt = debt;
      return;
    }
    this.debt = 0;
    this.take(debt);
  }

  /**
   * Takes `units` (and any deferred debt) from the fuel global now; faults with
   * `fuel-exhausted` when there is not enough, before the caller does the work.
   */
  take(units: number): void {
    const need = this.debt + units;
    this.debt = 0;
    const left = (this.fuel.value as number) - need;
    if (left >= 0) {
      this.fuel.value = left;
      return;
    }
    // The counter is short: the reserve (read only now, it costs a global read) may cover it.
    const total = left + (this.reserve.value as number);
    if (total < 0) {
      this.fuel.value = -1;
      this.reserve.value = 0;
      throw new HostTrap(
        "fuel-exhausted",
        `host work of ${need} fuel units exceeds the fuel left (${total + need})`,
      );
    }
    setFuel(this.fuel, this.reserve, total);
  }

  /** Fuel left for host work (to bound a scan whose length is not known in advance). */
  available(): number {
    const left = (this.fuel.value as number) + (this.reserve.value as number);
    return Math.max(0, left - this.debt);
  }

  /** Forgets deferred debt (the runtime was reset). */
  clear(): void {
    this.debt = 0;
  }
}
