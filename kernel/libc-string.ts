// The <string.h> built-ins of one runtime, charged to the calling plugin's fuel.
//
// Every pointer is bounds-checked against the runtime's memory (a bad one faults the plugin
// with out-of-bounds). Work whose size is known (memset, memcpy, ...) is charged before it is
// done; a scan for a NUL is bounded by the fuel left (8 bytes a unit), so a plugin cannot make
// the host scan more than it can pay for. Scans and compares use Node's native Buffer search
// and compare (memchr/memcmp: 14-23 bytes/ns against 0.4-1.5 for JS loops and
// Uint8Array.prototype.indexOf).
//
// Costs (fuel units; see fuel.ts): with n the bytes touched (scanned, compared, copied),
//   memset, memcpy, memmove, memcmp                    16 + n/8
//   (memset, memcpy and memmove called directly are inlined by the compiler: n/8, no call)
//   strlen, strchr, strrchr, strcmp, strncmp           16 + n/8
//   strcpy, strncpy, strcat                            16 + n/8 (scan) + n/8 (copy)
//   strstr                                             16 + (haystack + needle)/8

import { HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";
import { bulkCost, HOST_COSTS } from "./fuel.ts";
import type { Runtime } from "./runtime.ts";
import type { AnyFunction } from "./upcall.ts";

type Search = (this: Uint8Array, value: number | Uint8Array, byteOffset: number) => number;
const indexOf = Buffer.prototype.indexOf as Search;
const lastIndexOf = Buffer.prototype.lastIndexOf as Search;

/** Bytes a string scan may cover before it is bounded by the fuel left (see makeStrEnd). */
const FREE_SCAN = 64 << 20;

/** Bytes compared with one native call before looking for the differing byte. */
const COMPARE_CHUNK = 4096;

/**
 * The end of the string at `p` (the index of its NUL), looking at most `max` bytes (then
 * p + max). The scan is bounded by the fuel left and charged: a plugin cannot make the host
 * scan more than it can pay for.
 */
export function makeStrEnd(rt: Runtime): (p: number, max?: number) => number {
  const views = rt.views;
  const meter = rt.meter;
  return (p, max = Number.POSITIVE_INFINITY) => {
    const u8 = views.fresh().u8;
    const at = p >>> 0;
    if (inNullPage(at)) throw nullPointerTrap("string", at);
    if (at >= u8.length) {
      throw new HostTrap("out-of-bounds", `string at address ${at} is outside the memory`, {
        access: "read",
        size: 1,
        address: at,
      });
    }
    // Scanning to the end of a memory of up to FREE_SCAN bytes takes at most ~3 ms: do it
    // without asking the meter first (reading the fuel global costs ~20 ns a call, which
    // doubled the cost of a short strlen); longer scans are bounded by the fuel left.
    const affordable =
      u8.length - at <= FREE_SCAN
        ? Number.POSITIVE_INFINITY
        : meter.available() * HOST_COSTS.bulkBytesPerUnit;
    const limit = Math.min(u8.length, at + max, at + affordable);
    const found = indexOf.call(limit === u8.length ? u8 : u8.subarray(0, limit), 0, at);
    const end = found >= 0 ? found : limit;
    if (found < 0 && end < at + max) {
      if (end === u8.length) {
        throw new HostTrap("out-of-bounds", `unterminated string at address ${at}`, {
          access: "read",
          size: 1,
          address: u8.length,
        });
      }
      meter.take(bulkCost(affordable) + 1); // cannot pay for the rest of the scan: faults
    }
    meter.charge(bulkCost(end - at));
    return end;
  };
}

/** The <string.h> functions of `rt` (`undefined` only to list their names). */
export function makeStringFunctions(runtime: Runtime | undefined): Record<string, AnyFunction> {
  const views = runtime?.views as Runtime["views"];
  const meter = runtime?.meter as Runtime["meter"];
  const strEnd = runtime ? makeStrEnd(runtime) : () => 0;

  /** Checks [p, p + n) lies in memory; returns p as an unsigned address. */
  const range = (p: number, n: number, what: string, write = false): number => {
    const at = p >>> 0;
    const len = n >>> 0;
    const access = { access: write ? "write" : "read", size: len, address: at } as const;
    if (len > 0 && inNullPage(at)) throw nullPointerTrap(what, at, access);
    if (at + len > views.fresh().u8.length) {
      throw new HostTrap(
        "out-of-bounds",
        `${what}: [${at}, ${at + len}) is outside the memory`,
        access,
      );
    }
    return at;
  };

  /** memcmp of [a, a + n) and [b, b + n): the difference of the first differing bytes. */
  const compareBytes = (a: number, b: number, n: number): number => {
    const u8 = views.fresh().u8;
    for (let off = 0; off < n; off += COMPARE_CHUNK) {
      const len = Math.min(COMPARE_CHUNK, n - off);
      if (
        len > 32 &&
        Buffer.compare(u8.subarray(a + off, a + off + len), u8.subarray(b + off, b + off + len)) ===
          0
      ) {
        continue;
      }
      for (let i = off; i < off + len; i++) {
        const d = u8[a + i]! - u8[b + i]!;
        if (d !== 0) return d;
      }
    }
    return 0;
  };

  const copy = (dst: number, src: number, n: number, what: string): void => {
    const len = n >>> 0;
    meter.charge(bulkCost(len));
    const d = range(dst, len, `${what} destination`, true);
    const s = range(src, len, `${what} source`);
    views.u8.copyWithin(d, s, s + len);
  };

  return {
    memcpy: (dst: number, src: number, n: number) => {
      copy(dst, src, n, "memcpy");
      return dst;
    },
    memmove: (dst: number, src: number, n: number) => {
      copy(dst, src, n, "memmove");
      return dst;
    },
    memset: (dst: number, c: number, n: number) => {
      const len = n >>> 0;
      meter.charge(bulkCost(len));
      const d = range(dst, len, "memset", true);
      views.u8.fill(c & 0xff, d, d + len);
      return dst;
    },
    memcmp: (a: number, b: number, n: number) => {
      const len = n >>> 0;
      meter.charge(bulkCost(len));
      const x = range(a, len, "memcmp");
      const y = range(b, len, "memcmp");
      return compareBytes(x, y, len);
    },
    strlen: (s: number) => strEnd(s) - (s >>> 0),
    strcmp: (a: number, b: number) => {
      const ea = strEnd(a);
      const eb = strEnd(b);
      const x = a >>> 0;
      const y = b >>> 0;
      return compareBytes(x, y, Math.min(ea - x, eb - y) + 1);
    },
    strncmp: (a: number, b: number, n: number) => {
      const x = a >>> 0;
      const y = b >>> 0;
      const limit = n >>> 0;
      if (limit === 0) return 0;
      // glibc reads no further than n bytes or the first NUL of either string.
      const ea = strEnd(a, limit);
      const eb = strEnd(b, limit);
      return compareBytes(x, y, Math.min(ea - x + 1, eb - y + 1, limit));
    },
    strcpy: (dst: number, src: number) => {
      const s = src >>> 0;
      const n = strEnd(src) - s + 1;
      copy(dst, s, n, "strcpy");
      return dst;
    },
    strncpy: (dst: number, src: number, n: number) => {
      const limit = n >>> 0;
      const d = range(dst, limit, "strncpy destination", true);
      if (limit === 0) return dst;
      const s = src >>> 0;
      const len = strEnd(src, limit) - s;
      copy(d, s, len, "strncpy");
      meter.charge(bulkCost(limit - len));
      views.u8.fill(0, d + len, d + limit);
      return dst;
    },
    strcat: (dst: number, src: number) => {
      const end = strEnd(dst);
      const s = src >>> 0;
      const n = strEnd(src) - s + 1;
      copy(end, s, n, "strcat");
      return dst;
    },
    strchr: (s: number, c: number) => {
      const end = strEnd(s);
      const ch = c & 0xff;
      if (ch === 0) return end;
      meter.charge(bulkCost(end - (s >>> 0)));
      const at = indexOf.call(views.u8.subarray(0, end), ch, s >>> 0);
      return Math.max(at, 0);
    },
    strrchr: (s: number, c: number) => {
      const end = strEnd(s);
      const ch = c & 0xff;
      if (ch === 0) return end;
      const from = s >>> 0;
      meter.charge(bulkCost(end - from));
      const at = lastIndexOf.call(views.u8.subarray(from, end), ch, end - from);
      return at >= 0 ? from + at : 0;
    },
    strstr: (h: number, n: number) => {
      const he = strEnd(h);
      const ne = strEnd(n);
      const x = h >>> 0;
      const y = n >>> 0;
      if (ne === y) return x;
      meter.charge(bulkCost(he - x + (ne - y)));
      const u8 = views.u8;
      // Node's search (V8's string search) falls back to Boyer-Moore on bad patterns: linear.
      const at = indexOf.call(u8.subarray(0, he), u8.slice(y, ne), x);
      return Math.max(at, 0);
    },
  };
}
