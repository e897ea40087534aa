// The instance pool of one runtime. Unlinked instances are kept for a while with their static
// data block and table slots: linking the same module again with the same imports then only
// restores a snapshot of its data, which is what makes link/unlink cheap compared with
// `new WebAssembly.Instance` (bench `link`: ~1.5 µs against ~6.5 µs for a first link).

import type { CompiledModule } from "../cc/index.ts";
import type { Heap } from "./heap.ts";
import type { MemoryViews } from "./memory.ts";
import type { LinkedModule } from "./plugin.ts";
import type { FunctionTable } from "./table.ts";
import type { AnyFunction } from "./upcall.ts";

/** Static data small enough to snapshot, instances kept per module, and in all. */
const POOL_MAX_DATA = 64 << 10;
const POOL_PER_MODULE = 2;
const POOL_TOTAL = 16;

/**
 * Unlinked instances of one runtime kept for reuse, and the owner of what they hold in its heap
 * and function table until they are reused or evicted. Pooled instances are invisible: no
 * symbol, slot or plugin refers to them.
 */
export class InstancePool {
  /** By module, and in the order they were pooled (the oldest is evicted first). */
  private byModule = new WeakMap<CompiledModule, LinkedModule[]>();
  private order: LinkedModule[] = [];

  constructor(
    private readonly views: MemoryViews,
    private readonly heap: Heap,
    private readonly table: FunctionTable,
  ) {}

  /** Snapshots a new instance's static data, if small enough for the instance to be pooled. */
  snapshot(l: LinkedModule): void {
    const { dataBase, module } = l;
    if (module.dataSize <= POOL_MAX_DATA) {
      l.image = this.views.fresh().u8.slice(dataBase, dataBase + module.dataSize);
    }
  }

  /** A pooled instance of `module` linked with exactly `imports`, restored as new; or none. */
  take(module: CompiledModule, imports: AnyFunction[]): LinkedModule | undefined {
    const list = this.byModule.get(module);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const l = list[i]!;
      if (!sameFunctions(l.imports, imports)) continue;
      list.splice(i, 1);
      const at = this.order.indexOf(l);
      if (at >= 0) this.order.splice(at, 1);
      this.views.fresh().u8.set(l.image!, l.dataBase);
      if (l.elements) {
        const table = this.table.wasm;
        for (let k = 0; k < l.elements.length; k++)
          table.set(l.tableBase + k, l.elements[k] as never);
        l.elements = undefined;
      }
      return l;
    }
    return undefined;
  }

  /** Takes an unlinked instance: pools it if there is room, else frees its data and slots. */
  put(l: LinkedModule): void {
    if (l.image) {
      let list = this.byModule.get(l.module);
      if (!list) {
        list = [];
        this.byModule.set(l.module, list);
      }
      if (list.length < POOL_PER_MODULE) {
        if (l.module.tableSize > 0) {
          // Stale function pointers into unlinked code must trap, as after a real unlink.
          const table = this.table.wasm;
          l.elements = [];
          for (let i = 0; i < l.module.tableSize; i++) {
            l.elements.push(table.get(l.tableBase + i));
            table.set(l.tableBase + i, null);
          }
        }
        list.push(l);
        this.order.push(l);
        if (this.order.length > POOL_TOTAL) this.evict(this.order.shift()!);
        return;
      }
    }
    this.free(l);
  }

  /** Frees the pooled instances that import the function table (it is being rotated). */
  dropTableUsers(): void {
    for (const l of this.order) if (l.module.uses.table) this.evict(l);
    this.order = this.order.filter((l) => !l.module.uses.table);
  }

  /** Forgets every pooled instance without freeing (the heap and table are being reset). */
  clear(): void {
    this.byModule = new WeakMap();
    this.order = [];
  }

  private evict(l: LinkedModule): void {
    const list = this.byModule.get(l.module);
    const i = list ? list.indexOf(l) : -1;
    if (i < 0) return; // already taken back out of the pool
    list!.splice(i, 1);
    this.free(l);
  }

  private free(l: LinkedModule): void {
    if (l.dataBase) this.heap.free(l.dataBase);
    if (l.module.tableSize > 0) this.table.release(l.tableBase, l.module.tableSize);
  }
}

function sameFunctions(a: readonly AnyFunction[], b: readonly AnyFunction[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
