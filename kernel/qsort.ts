// qsort for plugins: a stable merge sort (like glibc's, so equal elements keep their order) of
// element indices, then one in-place permutation of the elements.
//
// Bounds: the host's scratch is two Uint32Arrays of n indices (8 bytes an element) plus one
// element; it must fit within the runtime's memory limit, or the call faults with
// out-of-memory before allocating. Fuel: the moves (16 + n·size/8) and the n - 1 comparisons
// every sort makes at least are charged before starting; each further comparison is charged as
// it happens (16 units for the call into the comparator, which also spends its own fuel).

import { HostTrap } from "./faults.ts";
import type { HostMeter } from "./fuel.ts";
import { bulkCost, HOST_COSTS } from "./fuel.ts";
import type { MemoryViews } from "./memory.ts";
import type { AnyFunction } from "./upcall.ts";

/** Runs shorter than this are sorted by insertion before merging. */
const RUN = 8;

export function sortElements(
  views: MemoryViews,
  meter: HostMeter,
  memoryLimit: number,
  base: number,
  n: number,
  size: number,
  compare: AnyFunction,
): void {
  const scratch = 8 * n + size;
  if (scratch > memoryLimit) {
    throw new HostTrap(
      "out-of-memory",
      `qsort of ${n} elements needs ${scratch} bytes of host scratch, more than the runtime's memory limit`,
    );
  }
  meter.take(bulkCost(n * size) + (n - 1) * HOST_COSTS.callback);
  let prepaid = n - 1;
  const cmp = (i: number, j: number): number => {
    if (prepaid > 0) prepaid--;
    else meter.charge(HOST_COSTS.callback);
    return compare(base + i * size, base + j * size) as number;
  };

  let order = new Uint32Array(n);
  let other = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const x = order[i]!;
      let j = i - 1;
      while (j >= lo && cmp(order[j]!, x) > 0) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = x;
    }
  }
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Ties take the left element: stable.
        if (cmp(order[i]!, order[j]!) <= 0) other[k++] = order[i++]!;
        else other[k++] = order[j++]!;
      }
      while (i < mid) other[k++] = order[i++]!;
      while (j < hi) other[k++] = order[j++]!;
    }
    [order, other] = [other, order];
  }
  permute(views.fresh().u8, base, size, order);
}

/**
 * Puts element order[k] at position k for every k, following each cycle of the permutation
 * with one element held aside. `order` is consumed (entries become their own index).
 */
function permute(u8: Uint8Array, base: number, size: number, order: Uint32Array): void {
  const held = new Uint8Array(size);
  for (let start = 0; start < order.length; start++) {
    if (order[start] === start) continue;
    held.set(u8.subarray(base + start * size, base + start * size + size));
    let k = start;
    for (;;) {
      const from = order[k]!;
      order[k] = k;
      if (from === start) {
        u8.set(held, base + k * size);
        break;
      }
      u8.copyWithin(base + k * size, base + from * size, base + from * size + size);
      k = from;
    }
  }
}
