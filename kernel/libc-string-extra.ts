// The rest of <string.h> for one runtime: memchr, strncat, strspn, strcspn, strpbrk, strtok,
// strdup and strndup. Same rules as libc-string.ts: pointers are bounds-checked (the NULL
// page faults as null-pointer), scans for a NUL are bounded by the fuel left.
//
// Costs (fuel units; see fuel.ts), n the bytes touched:
//   memchr                              16 + n/8 (native search)
//   strncat                             16 + n/8 (scans) + n/8 (copy)
//   strspn, strcspn, strpbrk, strtok    16 + n/8 (scans) + n (the per-byte set test)
//   strdup, strndup                     32 (allocation) + 16 + n/8 (scan) + n/8 (copy)
// strdup/strndup allocate from the runtime's heap (bounded by its memory limit; NULL when full).

import { HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";
import { bulkCost, HOST_COSTS, loopCost } from "./fuel.ts";
import { makeStrEnd } from "./libc-string.ts";
import type { Runtime } from "./runtime.ts";
import type { AnyFunction } from "./upcall.ts";

type Search = (this: Uint8Array, value: number, byteOffset: number) => number;
const indexOf = Buffer.prototype.indexOf as Search;

export function makeStringExtras(runtime: Runtime | undefined): Record<string, AnyFunction> {
  const rt = runtime as Runtime;
  const meter = runtime?.meter as Runtime["meter"];
  const heap = runtime?.heap as Runtime["heap"];
  const strEnd = runtime ? makeStrEnd(runtime) : () => 0;
  /** strtok's saved position (0: none yet), per runtime like glibc's static. */
  let tokenNext = 0;

  const range = (p: number, n: number, what: string): number => {
    const at = p >>> 0;
    const len = n >>> 0;
    if (len > 0 && inNullPage(at)) throw nullPointerTrap(what, at);
    if (at + len > rt.views.fresh().u8.length) {
      throw new HostTrap("out-of-bounds", `${what}: [${at}, ${at + len}) is outside the memory`);
    }
    return at;
  };

  /** The byte set of the string at `p` (a 256-entry membership table). */
  const byteSet = (p: number): Uint8Array => {
    const end = strEnd(p);
    const set = new Uint8Array(256);
    const u8 = rt.views.u8;
    for (let i = p >>> 0; i < end; i++) set[u8[i]!] = 1;
    meter.charge(loopCost(end - (p >>> 0)));
    return set;
  };

  /** Bytes from `p` (up to its NUL) while set[b] === want; returns the index it stopped at. */
  const spanWhile = (p: number, set: Uint8Array, want: number): number => {
    const end = strEnd(p);
    const u8 = rt.views.u8;
    let i = p >>> 0;
    while (i < end && set[u8[i]!] === want) i++;
    meter.charge(loopCost(i - (p >>> 0)));
    return i;
  };

  /** A copy of `n` bytes at `src` plus a NUL, in a new heap block (0 when the heap is full). */
  const duplicate = (src: number, n: number): number => {
    meter.charge(HOST_COSTS.allocation + bulkCost(n));
    const block = heap.malloc(n + 1);
    if (block === 0) return 0;
    const u8 = rt.views.fresh().u8;
    u8.copyWithin(block, src >>> 0, (src >>> 0) + n);
    u8[block + n] = 0;
    return block;
  };

  return {
    memchr: (s: number, c: number, n: number) => {
      const len = n >>> 0;
      meter.charge(bulkCost(len));
      const at = range(s, len, "memchr");
      const u8 = rt.views.u8;
      const found = indexOf.call(u8.subarray(0, at + len), c & 0xff, at);
      return Math.max(found, 0);
    },
    strncat: (dst: number, src: number, n: number) => {
      const d = strEnd(dst);
      const s = src >>> 0;
      const len = strEnd(src, n >>> 0) - s;
      meter.charge(bulkCost(len));
      range(d, len + 1, "strncat destination");
      const u8 = rt.views.u8;
      u8.copyWithin(d, s, s + len);
      u8[d + len] = 0;
      return dst;
    },
    strspn: (s: number, accept: number) => spanWhile(s, byteSet(accept), 1) - (s >>> 0),
    strcspn: (s: number, reject: number) => spanWhile(s, byteSet(reject), 0) - (s >>> 0),
    strpbrk: (s: number, accept: number) => {
      const at = spanWhile(s, byteSet(accept), 0);
      return rt.views.u8[at] === 0 ? 0 : at;
    },
    strtok: (s: number, delim: number) => {
      // Like glibc: strtok(NULL, ...) before any string reads address 0 (a null-pointer fault).
      const from = s !== 0 ? s >>> 0 : tokenNext;
      if (from === 0) throw nullPointerTrap("strtok", 0);
      const set = byteSet(delim);
      const start = spanWhile(from, set, 1);
      const u8 = rt.views.u8;
      if (u8[start] === 0) {
        tokenNext = start;
        return 0;
      }
      const stop = spanWhile(start, set, 0);
      if (u8[stop] === 0) tokenNext = stop;
      else {
        u8[stop] = 0;
        tokenNext = stop + 1;
      }
      return start;
    },
    strdup: (s: number) => duplicate(s, strEnd(s) - (s >>> 0)),
    strndup: (s: number, n: number) => duplicate(s, strEnd(s, n >>> 0) - (s >>> 0)),
  };
}
