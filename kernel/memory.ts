// A runtime's linear memory, the views and host allocations on it, and the pool that recycles
// memories between runtimes.
//
// Layout (fixed by the linking convention in cc/module.ts, STACK_FLOOR included):
//   [0, STACK_FLOOR)                    NULL page (4 KiB): never handed out; accesses fault
//   [STACK_FLOOR, STACK_FLOOR + stack)  shadow stack, grows down from its top
//   [heapBase, limit)                   static data of linked plugins and malloc's heap
//
// `new WebAssembly.Memory` costs ~30 µs (V8 reserves the guard region), so memories are pooled
// by their maximum size, together with the globals every runtime needs.

import { newLongjmpTag, type WasmTag } from "./longjmp.ts";
export const PAGE = 65536;

function pagesFor(bytes: number): number {
  return Math.ceil(bytes / PAGE);
}

/** The wasm objects a runtime shares with all its plugins. */
export interface RuntimeResources {
  memory: WebAssembly.Memory;
  maxPages: number;
  stackPointer: WebAssembly.Global;
  fuel: WebAssembly.Global;
  /** longjmp's exception tag (kernel/longjmp.ts), imported as env.__kplug_longjmp. */
  longjmpTag: WasmTag;
  /** setjmp frame invocations so far (i64, never reset: ids stay unique across reuse). */
  jmpCounter: WebAssembly.Global;
  /** f64: the part of a budget above what `fuel` (i32) holds (wasm/fuel-refill.ts). */
  fuelReserve: WebAssembly.Global;
}

/** Recycles runtimes' memories (zeroed) between runtimes of the same limit; not an allocator. */
export class MemoryPool {
  private readonly free = new Map<number, RuntimeResources[]>();
  private pooled = 0;

  constructor(readonly maxPooled = 64) {}

  acquire(limitBytes: number, initialBytes: number): RuntimeResources {
    const maxPages = pagesFor(limitBytes);
    const list = this.free.get(maxPages);
    const reused = list?.pop();
    if (reused) {
      this.pooled--;
      return reused;
    }
    const initial = Math.min(maxPages, pagesFor(initialBytes));
    return {
      memory: new WebAssembly.Memory({ initial, maximum: maxPages }),
      maxPages,
      stackPointer: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
      fuel: new WebAssembly.Global({ value: "i32", mutable: true }, 0),
      longjmpTag: newLongjmpTag(),
      jmpCounter: new WebAssembly.Global({ value: "i64", mutable: true }, 0n),
      fuelReserve: new WebAssembly.Global({ value: "f64", mutable: true }, 0),
    };
  }

  /**
   * Keeps the memory for the next runtime of its size. All of it is zeroed: a plugin may have
   * written anywhere, and the next runtime may belong to another client.
   */
  release(res: RuntimeResources): void {
    if (this.pooled >= this.maxPooled) return;
    new Uint8Array(res.memory.buffer).fill(0);
    let list = this.free.get(res.maxPages);
    if (!list) {
      list = [];
      this.free.set(res.maxPages, list);
    }
    list.push(res);
    this.pooled++;
  }
}

/**
 * Typed views on a memory that follow its growth: growing detaches the old ArrayBuffer, so
 * views are re-created lazily when they are found detached (a detached view has length 0).
 */
export class MemoryViews {
  u8: Uint8Array;
  i32: Int32Array;
  dv: DataView;
  /** Called after the views were re-created (the memory grew). */
  onRefresh: (() => void) | undefined;

  constructor(readonly memory: WebAssembly.Memory) {
    const buffer = memory.buffer;
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.dv = new DataView(buffer);
  }

  /** Call before using the views; cheap when nothing changed. */
  fresh(): this {
    if (this.u8.length === 0) {
      const buffer = this.memory.buffer;
      this.u8 = new Uint8Array(buffer);
      this.i32 = new Int32Array(buffer);
      this.dv = new DataView(buffer);
      this.onRefresh?.();
    }
    return this;
  }
}

/**
 * A block of a runtime's heap handed to the host, with a zero-copy view (`bytes` stays valid
 * after the memory grows). It is not managed: the host frees it with `runtime.free`, and it
 * does not survive `runtime.reset()` or the runtime's destruction.
 */
export class Allocation {
  private view: Uint8Array | undefined;

  constructor(
    private readonly views: MemoryViews,
    readonly ptr: number,
    readonly size: number,
  ) {}

  get bytes(): Uint8Array {
    if (this.view === undefined || (this.view.length === 0 && this.size !== 0)) {
      this.view = new Uint8Array(this.views.memory.buffer, this.ptr, this.size);
    }
    return this.view;
  }
}
