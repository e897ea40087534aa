// Static initializers as bytes: runs of constant scalars packed into one byte item as they are
// parsed (a table of 200,000 numbers costs its bytes, not an item and an expression per
// element), and designators that override earlier initializers byte by byte.

import type { InitItem } from "./ast.ts";
import { writeConstant } from "./scalar-bytes.ts";
import { sizeOf, type Type } from "./types.ts";

/** Largest gap (struct padding) a run spans; a farther scalar starts a new run. */
const MAX_RUN_GAP = 16;

/**
 * The run being packed: bytes from `offset`, `end` of them used. Gaps inside it are zero. A
 * run spans a gap only while no designator has appeared (see `add`), so a gap is padding or
 * an empty subobject, never bytes an earlier initializer set.
 */
export class PackedRun {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  private offset = -1;
  private end = 0;

  /**
   * Appends a constant scalar at `offset`; false if it does not continue the run (the caller
   * flushes and starts a new one). `contiguousOnly`: after a designator, a gap may hide bytes
   * that were set before, which the run's zeros must not override.
   */
  add(type: Type, offset: number, value: bigint | number, contiguousOnly: boolean): boolean {
    const size = sizeOf(type);
    if (this.offset < 0) this.offset = offset;
    const at = offset - this.offset;
    if (at < this.end || at - this.end > (contiguousOnly ? 0 : MAX_RUN_GAP)) return false;
    if (at + size > this.buf.length) this.grow(at + size);
    writeConstant(this.view, at, type, value);
    this.end = at + size;
    return true;
  }

  /**
   * `add` for a value known to be exact in `type` (a data run's small integer, see
   * initializers.ts `packSmall`): an integer of `size` bytes, or a float of `size` bytes.
   */
  addExact(
    size: number,
    isFloat: boolean,
    offset: number,
    value: number,
    contiguousOnly: boolean,
  ): boolean {
    if (this.offset < 0) this.offset = offset;
    const at = offset - this.offset;
    if (at < this.end || at - this.end > (contiguousOnly ? 0 : MAX_RUN_GAP)) return false;
    if (at + size > this.buf.length) this.grow(at + size);
    const view = this.view;
    if (isFloat) {
      if (size === 4) view.setFloat32(at, value, true);
      else view.setFloat64(at, value, true);
    } else if (size === 1) view.setInt8(at, value);
    else if (size === 2) view.setInt16(at, value, true);
    else if (size === 4) view.setInt32(at, value, true);
    else view.setBigInt64(at, BigInt(value), true);
    this.end = at + size;
    return true;
  }

  private grow(need: number): void {
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.end));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  get empty(): boolean {
    return this.offset < 0;
  }

  /**
   * The run as one item, then reset. A big buffer is handed over as it is when at least half
   * of it is used (copying megabytes costs more than the slack); else its bytes are copied out.
   */
  take(): InitItem {
    const big = this.buf.length > 4096;
    const bytes =
      big && this.end * 2 >= this.buf.length
        ? this.buf.subarray(0, this.end)
        : this.buf.slice(0, this.end);
    const item = { offset: this.offset, bytes };
    this.offset = -1;
    this.end = 0;
    if (big) {
      this.buf = new Uint8Array(64);
      this.view = new DataView(this.buf.buffer);
    } else {
      this.buf.fill(0);
    }
    return item;
  }
}

interface Entry {
  item: InitItem;
  /** Order of appearance: a later initializer wins. */
  seq: number;
}

/** The first bit an item sets (a bit-field starts inside its unit's first byte). */
function firstBit(item: InitItem): number {
  return item.offset * 8 + ("bits" in item && item.bits ? item.bits.shift : 0);
}

/** One past the last bit an item sets. */
function endBit(item: InitItem): number {
  if ("bytes" in item) return (item.offset + item.bytes.length) * 8;
  return firstBit(item) + (item.bits ? item.bits.width : sizeOf(item.type) * 8);
}

/** The part [from, to) of a bytes item. */
function slice(e: Entry, from: number, to: number): Entry {
  const item = e.item as { offset: number; bytes: Uint8Array };
  const bytes = item.bytes.subarray(from - item.offset, to - item.offset);
  return { item: { offset: from, bytes }, seq: e.seq };
}

const before = (a: Entry, b: Entry) => firstBit(a.item) - firstBit(b.item) || a.seq - b.seq;

/**
 * With designators, a later initializer of the same bytes replaces an earlier one: an earlier
 * scalar it overlaps is dropped; an earlier bytes item (a packed run, a string) keeps the bytes
 * outside the later one. Sorted by offset, then swept once; the parts of a bytes item that
 * survive past a later one wait in a heap, so the sweep stays O(n log n).
 */
export function resolveOverrides(items: InitItem[]): InitItem[] {
  const order: Entry[] = items.map((item, seq) => ({ item, seq }));
  order.sort(before);
  const pending = new EntryHeap();
  const out: Entry[] = [];
  let i = 0;
  for (;;) {
    let cur: Entry;
    const top = pending.peek();
    if (top && (i >= order.length || before(top, order[i]!) < 0)) cur = pending.pop()!;
    else if (i < order.length) cur = order[i++]!;
    else break;
    // In bits, since a bit-field shares its bytes with its neighbours; a bytes item is only
    // ever cut at byte boundaries (its scalars never share a byte with a bit-field).
    const start = firstBit(cur.item);
    const end = endBit(cur.item);
    const last = out[out.length - 1];
    if (last !== undefined) {
      const lastEnd = endBit(last.item);
      if (lastEnd > start) {
        if (last.seq < cur.seq) {
          // `cur` wins: `last` keeps what lies before and after it, if it is bytes.
          out.pop();
          if ("bytes" in last.item) {
            const cutFrom = Math.floor(start / 8);
            const cutTo = Math.ceil(end / 8);
            if (last.item.offset < cutFrom) out.push(slice(last, last.item.offset, cutFrom));
            if (lastEnd > cutTo * 8) pending.push(slice(last, cutTo, lastEnd / 8));
          }
        } else {
          // `last` wins: `cur` keeps what lies after it, if it is bytes.
          const keepFrom = Math.ceil(lastEnd / 8);
          if ("bytes" in cur.item && end > keepFrom * 8)
            pending.push(slice(cur, keepFrom, end / 8));
          continue;
        }
      }
    }
    out.push(cur);
  }
  return out.map((e) => e.item);
}

/** A binary min-heap of entries by (offset, seq). */
class EntryHeap {
  private readonly a: Entry[] = [];

  peek(): Entry | undefined {
    return this.a[0];
  }

  push(e: Entry): void {
    const a = this.a;
    a.push(e);
    let k = a.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (before(a[parent]!, a[k]!) <= 0) break;
      [a[parent], a[k]] = [a[k]!, a[parent]!];
      k = parent;
    }
  }

  pop(): Entry | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < a.length && before(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && before(a[r]!, a[m]!) < 0) m = r;
        if (m === k) break;
        [a[m], a[k]] = [a[k]!, a[m]!];
        k = m;
      }
    }
    return top;
  }
}
