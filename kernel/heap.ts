// malloc's heap for one runtime: a segregated-fit allocator in the manner of TLSF. All
// allocator metadata lives in JS, never in plugin memory, so a plugin cannot corrupt it by
// writing out of its blocks.
//
// Blocks are multiples of 16 bytes and 16-byte aligned. Free blocks are coalesced with their
// free neighbours on free (found in O(1) through maps of free block starts and ends) and kept
// in doubly linked lists by size class:
//   - sizes up to SMALL_MAX bytes have one exact class per 16-byte size (64 classes);
//   - larger sizes have a class per eighth of each power of two (TLSF's two-level index).
// A bitmap of the non-empty classes finds the smallest class that must hold a fitting block in
// a few word operations, so malloc, free and realloc cost O(1) in the number of blocks (the old
// allocator scanned its bins and took 15.7 s for a malloc/free pattern over 80k blocks). The
// block at the end of the heap merges back into the untouched "wilderness" above `top`.
// Growing the memory past the runtime's limit fails: malloc returns 0.

import { ChurnMap } from "./churn-map.ts";
import { HostTrap } from "./faults.ts";
import { type MemoryViews, PAGE } from "./memory.ts";

const GRAIN = 16;
/** Largest size with an exact class of its own. */
const SMALL_MAX = 1024;
const SMALL_CLASSES = SMALL_MAX / GRAIN;
/** log2 of the number of classes per power of two above SMALL_MAX. */
const SUB_BITS = 3;
const SUBS = 1 << SUB_BITS;
const FIRST_LOG = 10; // log2(SMALL_MAX)
/** Enough classes for blocks up to 2^33 bytes (memories are at most 4 GiB). */
const CLASSES = SMALL_CLASSES + (33 - FIRST_LOG) * SUBS;
const WORDS = Math.ceil(CLASSES / 32);

/** The class holding free blocks of `size` bytes (a multiple of GRAIN). */
function classOf(size: number): number {
  if (size <= SMALL_MAX) return size / GRAIN - 1;
  const log = 31 - Math.clz32(size); // sizes stay below 2^32: memories are at most 4 GiB
  const sub = (size >>> (log - SUB_BITS)) - SUBS;
  return SMALL_CLASSES + (log - FIRST_LOG) * SUBS + sub;
}

/** The smallest class all of whose blocks hold at least `size` bytes. */
function fittingClass(size: number): number {
  if (size <= SMALL_MAX) return size / GRAIN - 1;
  const c = classOf(size);
  // A large class spans a range of sizes: only the next one is sure to fit (unless exact).
  return classStart(c) === size ? c : c + 1;
}

/** The smallest block size of a large class. */
function classStart(c: number): number {
  const k = c - SMALL_CLASSES;
  const log = FIRST_LOG + Math.floor(k / SUBS);
  return 2 ** log + (k % SUBS) * 2 ** (log - SUB_BITS);
}

/** A free block; its list links are the allocator's, in JS. */
interface FreeBlock {
  start: number;
  size: number;
  prev: FreeBlock | null;
  next: FreeBlock | null;
}

export class Heap {
  /** First address past the last block handed out; everything above is free. */
  private top: number;
  /** Bytes below this address may hold old data; memory above it is still zero. */
  private dirtyTop: number;
  // Addresses are freed and handed out again all the time: ChurnMaps keep lookups O(1).
  private readonly live = new ChurnMap<number, number>();
  private readonly freeStart = new ChurnMap<number, FreeBlock>();
  private readonly freeEnd = new ChurnMap<number, FreeBlock>();
  private readonly heads: (FreeBlock | null)[] = new Array(CLASSES).fill(null);
  /** Bit c set: class c has a free block. */
  private readonly nonEmpty = new Uint32Array(WORDS);
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
    const size = roundSize(bytes);
    if (align <= GRAIN) {
      const reused = this.takeFree(size);
      if (reused) {
        if (zeroed) this.views.fresh().u8.fill(0, reused, reused + size);
        return reused;
      }
    }
    return this.takeTop(size, align, zeroed);
  }

  /**
   * Resizes in place when it can (shrinking, or growing into a free neighbour or the
   * wilderness); otherwise moves the contents to a new block. Returns 0, leaving the block
   * alone, when the memory limit does not allow the size.
   */
  realloc(ptr: number, bytes: number): number {
    if (ptr === 0) return this.malloc(bytes);
    const old = this.live.get(ptr);
    if (old === undefined) throw new HostTrap("abort", "realloc(): invalid pointer");
    if (!(bytes >= 0) || bytes > this.limit) return 0;
    const size = roundSize(bytes);
    if (size <= old) {
      if (size < old) {
        this.setLive(ptr, size, old);
        this.release(ptr + size, old - size);
      }
      return ptr;
    }
    const end = ptr + old;
    const next = this.freeStart.get(end);
    if (next !== undefined && old + next.size >= size) {
      this.unlink(next);
      this.setLive(ptr, size, old);
      const rest = old + next.size - size;
      if (rest > 0) this.link(ptr + size, rest);
      return ptr;
    }
    if (end === this.top && ptr + size <= this.limit && this.ensure(ptr + size)) {
      this.top = ptr + size;
      if (this.top > this.dirtyTop) this.dirtyTop = this.top;
      this.setLive(ptr, size, old);
      return ptr;
    }
    const moved = this.malloc(bytes);
    if (moved === 0) return 0;
    this.views.fresh().u8.copyWithin(moved, ptr, ptr + old);
    this.free(ptr);
    return moved;
  }

  free(ptr: number): void {
    if (ptr === 0) return;
    const size = this.live.get(ptr);
    if (size === undefined) throw new HostTrap("abort", "free(): invalid pointer");
    this.live.delete(ptr);
    this.liveBytes -= size;
    this.release(ptr, size);
  }

  /** Forgets every block (the memory itself is zeroed by the owner as needed). */
  clear(): void {
    this.live.clear();
    this.freeStart.clear();
    this.freeEnd.clear();
    this.heads.fill(null);
    this.nonEmpty.fill(0);
    this.top = this.base;
    this.liveBytes = 0;
  }

  private setLive(ptr: number, size: number, old: number): void {
    this.live.set(ptr, size);
    this.liveBytes += size - old;
  }

  /** Returns [start, start + size) to the free space, merged with its free neighbours. */
  private release(start: number, size: number): void {
    let end = start + size;
    const before = this.freeEnd.get(start);
    if (before !== undefined) {
      this.unlink(before);
      start = before.start;
    }
    const after = this.freeStart.get(end);
    if (after !== undefined) {
      this.unlink(after);
      end += after.size;
    }
    if (end === this.top) this.top = start;
    else this.link(start, end - start);
  }

  private takeFree(size: number): number {
    // The head of the request's own class may fit even when the class is not sure to.
    const own = this.heads[classOf(size)];
    let block = own !== null && own !== undefined && own.size >= size ? own : null;
    if (block === null) {
      const c = this.firstNonEmpty(fittingClass(size));
      if (c < 0) return 0;
      block = this.heads[c]!;
    }
    this.unlink(block);
    if (block.size > size) this.link(block.start + size, block.size - size);
    this.live.set(block.start, size);
    this.liveBytes += size;
    return block.start;
  }

  /** The first non-empty class at or above `from`, or -1. */
  private firstNonEmpty(from: number): number {
    if (from >= CLASSES) return -1;
    let w = from >>> 5;
    let bits = this.nonEmpty[w]! & (~0 << (from & 31));
    while (bits === 0) {
      if (++w >= WORDS) return -1;
      bits = this.nonEmpty[w]!;
    }
    return (w << 5) + (31 - Math.clz32(bits & -bits));
  }

  private takeTop(size: number, align: number, zeroed: boolean): number {
    let ptr = this.top;
    const misalign = ptr % align;
    const gap = misalign === 0 ? 0 : align - misalign;
    ptr += gap;
    const end = ptr + size;
    if (end > this.limit) return 0;
    if (!this.ensure(end)) return 0;
    if (gap > 0) this.link(this.top, gap);
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
    if (end > this.limit) return false;
    // Growing by a quarter at least: each grow detaches the buffer and re-creates every view,
    // and growing page by page made that the main cost of a churning heap (0.5 s in 200k ops).
    const need = Math.ceil((end - have) / PAGE);
    const room = Math.floor(this.limit / PAGE) - have / PAGE;
    for (const pages of [Math.max(need, Math.min(room, Math.ceil(have / PAGE / 4))), need]) {
      try {
        memory.grow(pages);
        this.views.fresh();
        return true;
      } catch {
        // try the exact need, then give up
      }
    }
    return false;
  }

  private link(start: number, size: number): void {
    const c = classOf(size);
    const head = this.heads[c]!;
    const block: FreeBlock = { start, size, prev: null, next: head };
    if (head !== null) head.prev = block;
    else this.nonEmpty[c >>> 5] = this.nonEmpty[c >>> 5]! | (1 << (c & 31));
    this.heads[c] = block;
    this.freeStart.set(start, block);
    this.freeEnd.set(start + size, block);
  }

  private unlink(block: FreeBlock): void {
    const c = classOf(block.size);
    if (block.prev !== null) block.prev.next = block.next;
    else {
      this.heads[c] = block.next;
      if (block.next === null) this.nonEmpty[c >>> 5] = this.nonEmpty[c >>> 5]! & ~(1 << (c & 31));
    }
    if (block.next !== null) block.next.prev = block.prev;
    this.freeStart.delete(block.start);
    this.freeEnd.delete(block.start + block.size);
  }
}

function roundSize(bytes: number): number {
  return bytes <= GRAIN ? GRAIN : Math.ceil(bytes / GRAIN) * GRAIN;
}
