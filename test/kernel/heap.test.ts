// The allocator under churn: 100k blocks freed in the patterns that made the old bin-scanning
// heap quadratic (every other block freed, then requests no fragment fits; frees in reverse;
// realloc growth among fragments). Every step checks the allocator's answers against a model:
// blocks are 16-byte aligned, never overlap, and keep their contents (through realloc too).

import assert from "node:assert/strict";
import { test } from "node:test";
import { Heap } from "../../kernel/heap.ts";
import { MemoryViews, PAGE } from "../../kernel/memory.ts";

const BASE = 4096;
const LIMIT = 256 << 20;

function newHeap(): { heap: Heap; views: MemoryViews } {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: LIMIT / PAGE });
  const views = new MemoryViews(memory);
  return { heap: new Heap(views, BASE, LIMIT), views };
}

/** Live blocks as the test sees them: start -> [requested size, fill byte]. */
class Model {
  readonly blocks = new Map<number, { size: number; tag: number }>();
  private nextTag = 1;

  constructor(
    private readonly heap: Heap,
    private readonly views: MemoryViews,
  ) {}

  malloc(size: number): number {
    const p = this.heap.malloc(size);
    assert.notEqual(p, 0, `malloc(${size}) failed`);
    assert.equal(p % 16, 0, "16-byte aligned");
    assert.ok(!this.blocks.has(p), "address handed out twice");
    const tag = this.nextTag++ & 0xff || 1;
    this.views.fresh().u8.fill(tag, p, p + size);
    this.blocks.set(p, { size, tag });
    return p;
  }

  /** Checks the block still holds its fill (nobody else wrote over it), then frees it. */
  free(p: number): void {
    this.check(p);
    this.heap.free(p);
    this.blocks.delete(p);
  }

  realloc(p: number, size: number): number {
    const b = this.blocks.get(p)!;
    this.check(p);
    const q = this.heap.realloc(p, size);
    assert.notEqual(q, 0, `realloc(${size}) failed`);
    assert.equal(q % 16, 0);
    const u8 = this.views.fresh().u8;
    const kept = Math.min(b.size, size);
    assert.equal(firstOther(u8, q, kept, b.tag), -1, "contents kept by realloc");
    this.blocks.delete(p);
    u8.fill(b.tag, q, q + size);
    this.blocks.set(q, { size, tag: b.tag });
    return q;
  }

  check(p: number): void {
    const b = this.blocks.get(p)!;
    const u8 = this.views.fresh().u8;
    assert.equal(firstOther(u8, p, b.size, b.tag), -1, `block ${p} overwritten`);
  }

  /** No two live blocks overlap, and the heap's own sizes cover what was asked. */
  checkLayout(): void {
    const sorted = [...this.blocks].sort((a, b) => a[0] - b[0]);
    let end = 0;
    for (const [p, b] of sorted) {
      assert.ok(p >= end, `block at ${p} overlaps the one ending at ${end}`);
      const have = this.heap.blockSize(p);
      assert.ok(have !== undefined && have >= b.size);
      end = p + have;
    }
  }
}

/** Index of the first byte of [p, p + n) that is not `tag`, or -1. */
function firstOther(u8: Uint8Array, p: number, n: number, tag: number): number {
  for (let i = 0; i < n; i++) if (u8[p + i] !== tag) return i;
  return -1;
}

test("100k blocks: every other freed, then sizes no fragment fits", () => {
  const { heap, views } = newHeap();
  const m = new Model(heap, views);
  const ptrs: number[] = [];
  for (let i = 0; i < 100_000; i++) ptrs.push(m.malloc(16 + (i % 7) * 16));
  for (let i = 0; i < ptrs.length; i += 2) m.free(ptrs[i]!);
  // 50k fragments of at most 112 bytes: none fits, each request must be found fast elsewhere.
  const big: number[] = [];
  for (let i = 0; i < 50_000; i++) big.push(m.malloc(200 + (i % 5) * 16));
  m.checkLayout();
  // Fragments of the right size are reused rather than growing the heap.
  const topBefore = Math.max(...[...m.blocks.keys()]);
  const small = m.malloc(16);
  assert.ok(small < topBefore, "a fragment was reused");
  for (let i = 1; i < ptrs.length; i += 2) m.free(ptrs[i]!);
  for (const p of big.reverse()) m.free(p);
  m.free(small);
  assert.equal(heap.used, 0);
  assert.equal(m.blocks.size, 0);
  // Everything coalesced back into the wilderness: the first block is at the base again.
  assert.equal(m.malloc(1 << 20), BASE);
});

test("100k blocks: random sizes, frees and reallocs against the model", () => {
  const { heap, views } = newHeap();
  const m = new Model(heap, views);
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const live: number[] = [];
  for (let step = 0; step < 200_000; step++) {
    const r = rand(10);
    if (live.length < 100_000 && (r < 5 || live.length === 0)) {
      const size = rand(8) === 0 ? 1 + rand(4000) : 1 + rand(200);
      live.push(m.malloc(size));
    } else if (r < 8) {
      const i = rand(live.length);
      m.free(live[i]!);
      live[i] = live[live.length - 1]!;
      live.pop();
    } else {
      const i = rand(live.length);
      const old = m.blocks.get(live[i]!)!.size;
      const size = rand(2) === 0 ? Math.min(old * 2, 4000) + rand(64) : Math.max(1, old >> 1);
      live[i] = m.realloc(live[i]!, size);
    }
    if (step % 50_000 === 0) m.checkLayout();
  }
  m.checkLayout();
  for (const p of live) m.free(p);
  assert.equal(heap.used, 0);
});

test("realloc grows in place into a free neighbour and at the top, shrinks in place", () => {
  const { heap, views } = newHeap();
  const m = new Model(heap, views);
  const a = m.malloc(64);
  const b = m.malloc(64);
  const c = m.malloc(64);
  m.free(b);
  assert.equal(m.realloc(a, 128), a, "grew into the freed neighbour");
  assert.equal(m.realloc(c, 4096), c, "grew at the top");
  assert.equal(m.realloc(c, 32), c, "shrank in place");
  const d = m.malloc(2000);
  assert.ok(d > c && d < c + 4096, "the shrunk tail is reused");
  m.checkLayout();
});

test("calloc zeroes reused blocks; malloc returns 0 beyond the limit", () => {
  const { heap, views } = newHeap();
  const p = heap.malloc(256);
  views.fresh().u8.fill(0xaa, p, p + 256);
  heap.free(p);
  const q = heap.calloc(16, 16);
  assert.equal(q, p);
  assert.ok(
    views
      .fresh()
      .u8.subarray(q, q + 256)
      .every((x) => x === 0),
  );
  assert.equal(heap.malloc(LIMIT), 0);
  assert.equal(heap.malloc(LIMIT - BASE + 16), 0);
  assert.equal(heap.calloc(1 << 20, 1 << 20), 0);
  const r = heap.malloc(1000);
  assert.equal(heap.realloc(r, LIMIT), 0, "a failed realloc keeps the block");
  assert.equal(heap.blockSize(r), 1008);
});
