// How the host passes buffers to a standalone foreign module (one that defines its own memory,
// foreign.ts): its pointer parameters refer to that memory, not the runtime's, so the host
// allocates there. Blocks are whole pages taken with `memory.grow`: pages a module did not grow
// itself are never its data or stack, and its own `memory.grow` returns pages after ours, so the
// two never overlap whatever allocator the module carries. Freed blocks are reused by size.
// The module's memory maximum (capped at the runtime's memory limit) bounds it all.

import { Allocation, MemoryViews, PAGE } from "./memory.ts";

/**
 * Allocation in the own memory of a foreign module (`Plugin.ownMemory`), for passing it buffers.
 * Not the runtime's shared memory or heap: kplug-compiled plugins use `Runtime.alloc` instead.
 */
export class ForeignMemory {
  readonly views: MemoryViews;
  /** Free blocks' addresses by their size in pages. */
  private readonly freeBlocks = new Map<number, number[]>();
  /** Live blocks: address -> pages. */
  private readonly live = new Map<number, number>();

  constructor(
    readonly memory: WebAssembly.Memory,
    private readonly owner: string,
  ) {
    this.views = new MemoryViews(memory);
  }

  /** A zeroed block of at least `bytes` in the module's memory; RangeError beyond its maximum. */
  alloc(bytes: number): Allocation {
    if (!(bytes >= 0) || !Number.isSafeInteger(bytes)) throw new RangeError(`bad size ${bytes}`);
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    let ptr = this.freeBlocks.get(pages)?.pop();
    if (ptr !== undefined) {
      this.views.fresh().u8.fill(0, ptr, ptr + pages * PAGE);
    } else {
      try {
        ptr = this.memory.grow(pages) * PAGE;
      } catch {
        throw new RangeError(
          `plugin '${this.owner}': cannot allocate ${bytes} bytes in its memory`,
        );
      }
      if (ptr === 0) {
        // A memory of 0 pages: page 0 holds NULL, never hand it out (those pages stay unused).
        return this.allocAbove(bytes, pages);
      }
    }
    this.live.set(ptr, pages);
    return new Allocation(this.views.fresh(), ptr, bytes);
  }

  free(block: number | Allocation): void {
    const ptr = typeof block === "number" ? block : block.ptr;
    const pages = this.live.get(ptr);
    if (pages === undefined) throw new RangeError(`plugin '${this.owner}': no block at ${ptr}`);
    this.live.delete(ptr);
    const list = this.freeBlocks.get(pages) ?? [];
    list.push(ptr);
    this.freeBlocks.set(pages, list);
  }

  /** A byte view of the module's whole memory (re-fetch after calls that may grow it). */
  view(): Uint8Array {
    return this.views.fresh().u8;
  }

  /** Page 0 was just grown (a memory of 0 pages): keep it unused and take the next pages. */
  private allocAbove(bytes: number, pages: number): Allocation {
    let ptr: number;
    try {
      ptr = this.memory.grow(pages) * PAGE;
    } catch {
      throw new RangeError(`plugin '${this.owner}': cannot allocate ${bytes} bytes in its memory`);
    }
    this.live.set(ptr, pages);
    return new Allocation(this.views.fresh(), ptr, bytes);
  }
}

const memories = new WeakMap<WebAssembly.Instance, ForeignMemory>();

/** The own memory of a standalone foreign module's instance, or undefined (shares the runtime's). */
export function ownMemoryOf(
  instance: WebAssembly.Instance,
  owner: string,
): ForeignMemory | undefined {
  let m = memories.get(instance);
  if (!m) {
    const exported = Object.values(instance.exports).find((x) => x instanceof WebAssembly.Memory);
    if (!exported) return undefined;
    m = new ForeignMemory(exported, owner);
    memories.set(instance, m);
  }
  return m;
}
