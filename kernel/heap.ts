// malloc's heap for one runtime. All allocator metadata lives in JS (maps of block starts and
// sizes), never in plugin memory, so a plugin cannot corrupt it by writing out of its blocks.
//
// Blocks are multiples of 16 bytes and 16-byte aligned. Free blocks are coalesced with their
// neighbours on free (O(1) through start/end maps) and kept in power-of-two size bins; the
// block at the end of the heap merges back into the untouched "wilderness" above `top`.
// Growing the memory past the runtime's limit fails: malloc returns 0.

import { ChurnMap } from "./churn-map.ts";
import { HostTrap } from "./faults.ts";
import { type MemoryViews, PAGE } from "./memory.ts";

const GRAIN = 16;
const BINS = 32;
/** How many blocks of the first candidate bin are inspected before moving to a larger bin. */
const BIN_SCAN = 8;

const binOf = (size: number) => 31 - Math.clz32(size);

export class Heap {
  /** First address past the last block handed out; everything above is free. */
  private top: number;
  /** Bytes below this address may hold old data; memory above it is still zero. */
  private dirtyTop: number;
  // Addresses are freed and handed out again all the time: ChurnMaps keep lookups O(1).
  private readonly live = new ChurnMap<number, number>();
  private readonly freeStart = new ChurnMap<number, number>();
  private readonly freeEnd = new ChurnMap<number, number>();
  /** Free block starts by size class (the values are unused). */
  private readonly bins: ChurnMap<number, true>[] = Array.from(
    { length: BINS },
    () => new ChurnMap<number, true>(),
  );
  private liveBytes = 0;

  constructor(
    private readonly views: MemoryViews,
    private readonly base: number,
    private readonly limit: number,
    dirtyTop = base,
  ) {
    this.top = base;
    this.dirtyTop = Math.max(base, dirtyTop);
  }

  /** Bytes in live blocks. */
  get used(): number {
    return this.liveBytes;
  }

  /** Size of the live block at `ptr`, or undefined. */
  blockSize(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  /** Returns 0 when the request cannot be met within the runtime's memory limit. */
  malloc(bytes: number): number {
    return this.allocate(bytes, GRAIN, false);
  }

  calloc(count: number, size: number): number {
    const bytes = count * size;
    if (!Number.isSafeInteger(bytes)) return 0;
    return this.allocate(bytes, GRAIN, true);
  }

  /** A zeroed block with the given alignment (for plugins' static data). */
  allocZeroed(bytes: number, align: number): number {
    return this.allocate(bytes, Math.max(align, 1), true);
  }

  private allocate(bytes: number, align: number, zeroed: boolean): number {
    if (!(bytes >= 0) || bytes > this.limit) return 0;
    const size = bytes <= GRAIN ? GRAIN : Math.ceil(bytes / GRAIN) * GRAIN;
    if (align <= GRAIN) {
      const reused = this.takeFree(size);
      if (reused) {
        if (zeroed) this.views.fresh().u8.fill(0, reused, reused + size);
        return reused;
      }
    }
    return this.takeTop(size, align, zeroed);
  }

  realloc(ptr: number, bytes: number): number {
    if (ptr === 0) return this.malloc(bytes);
    const old = this.live.get(ptr);
    if (old === undefined) throw new HostTrap("abort", "realloc(): invalid pointer");
    if (bytes <= old && bytes > old / 2) return ptr;
    const next = this.malloc(bytes);
    if (next === 0) return 0;
    const u8 = this.views.fresh().u8;
    u8.copyWithin(next, ptr, ptr + Math.min(old, bytes));
    this.free(ptr);
    return next;
  }

  free(ptr: number): void {
    if (ptr === 0) return;
    const size = this.live.get(ptr);
    if (size === undefined) throw new HostTrap("abort", "free(): invalid pointer");
    this.live.delete(ptr);
    this.liveBytes -= size;
    let start = ptr;
    let end = ptr + size;
    const before = this.freeEnd.get(start);
    if (before !== undefined) {
      this.unlinkFree(before, start - before);
      start = before;
    }
    const afterSize = this.freeStart.get(end);
    if (afterSize !== undefined) {
      this.unlinkFree(end, afterSize);
      end += afterSize;
    }
    if (end === this.top) this.top = start;
    else this.linkFree(start, end - start);
  }

  /** Forgets every block (the memory itself is zeroed by the owner as needed). */
  clear(): void {
    this.live.clear();
    this.freeStart.clear();
    this.freeEnd.clear();
    for (const b of this.bins) b.clear();
    this.top = this.base;
    this.liveBytes = 0;
  }

  private takeFree(size: number): number {
    let bin = binOf(size);
    let scanned = 0;
    for (const start of this.bins[bin]!.size > 0 ? this.bins[bin]!.keys() : []) {
      const have = this.freeStart.get(start)!;
      if (have >= size) return this.split(start, have, size);
      if (++scanned >= BIN_SCAN) break;
    }
    // Every block in a larger bin is big enough: take the first one found.
    for (bin++; bin < BINS; bin++) {
      if (this.bins[bin]!.size === 0) continue;
      for (const start of this.bins[bin]!.keys()) {
        return this.split(start, this.freeStart.get(start)!, size);
      }
    }
    return 0;
  }

  private split(start: number, have: number, size: number): number {
    this.unlinkFree(start, have);
    if (have > size) this.linkFree(start + size, have - size);
    this.live.set(start, size);
    this.liveBytes += size;
    return start;
  }

  private takeTop(size: number, align: number, zeroed: boolean): number {
    let ptr = this.top;
    const misalign = ptr % align;
    const gap = misalign === 0 ? 0 : align - misalign;
    ptr += gap;
    const end = ptr + size;
    if (end > this.limit) return 0;
    if (!this.ensure(end)) return 0;
    if (gap > 0) this.linkFree(this.top, gap);
    this.top = end;
    // Memory above `dirtyTop` has never been handed out, so it is still zero.
    if (zeroed && ptr < this.dirtyTop) {
      this.views.fresh().u8.fill(0, ptr, Math.min(end, this.dirtyTop));
    }
    if (end > this.dirtyTop) this.dirtyTop = end;
    this.live.set(ptr, size);
    this.liveBytes += size;
    return ptr;
  }

  /** Grows the memory so that [0, end) is addressable. */
  private ensure(end: number): boolean {
    const memory = this.views.memory;
    const have = memory.buffer.byteLength;
    if (end <= have) return true;
    try {
      memory.grow(Math.ceil((end - have) / PAGE));
      this.views.fresh();
      return true;
    } catch {
      return false;
    }
  }

  private linkFree(start: number, size: number): void {
    this.freeStart.set(start, size);
    this.freeEnd.set(start + size, start);
    this.bins[binOf(size)]!.set(start, true);
  }

  private unlinkFree(start: number, size: number): void {
    this.freeStart.delete(start);
    this.freeEnd.delete(start + size);
    this.bins[binOf(size)]!.delete(start);
  }
}
