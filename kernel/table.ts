// A runtime's function table (function pointers are table indices) and its slot allocator.
//
// V8 (Node 20) keeps every instance that ever imported a table alive, and updates all of them
// on every `set` and `grow`: linking gets slower and memory grows with each instantiation. So the
// table is created only when a plugin that uses function pointers is linked, only such plugins
// import it, and the runtime swaps in a fresh table (`rotate`) once too many instances have
// imported the current one, relinking the live users at the same slots.

/** Index 0 stays empty so a NULL function pointer traps. */
const FIRST_SLOT = 1;

/**
 * The function table of one runtime and the allocator of its slots. It is not shared between
 * runtimes, and a fresh wasm table replaces it on rotation (slot numbers stay the same).
 */
export class FunctionTable {
  private table: WebAssembly.Table | undefined;
  private top = FIRST_SLOT;
  /** Instances that imported the current table (V8 retains them all). */
  importers = 0;
  /** Freed ranges by length, for reuse by a module of the same size. */
  private readonly freeBySize = new Map<number, number[]>();

  /** The wasm table, created on first use. */
  get wasm(): WebAssembly.Table {
    if (!this.table) this.table = new WebAssembly.Table({ element: "anyfunc", initial: 16 });
    return this.table;
  }

  /** Reserves `count` consecutive slots; returns the first. */
  reserve(count: number): number {
    if (count === 0) return this.top;
    const reused = this.freeBySize.get(count)?.pop();
    if (reused !== undefined) return reused;
    const base = this.top;
    this.top += count;
    const table = this.wasm;
    if (this.top > table.length) table.grow(Math.max(this.top - table.length, table.length));
    return base;
  }

  /** Empties the slots (stale function pointers then trap) and makes them reusable. */
  release(base: number, count: number): void {
    if (count === 0 || !this.table) return;
    for (let i = base; i < base + count; i++) this.table.set(i, null);
    let list = this.freeBySize.get(count);
    if (!list) {
      list = [];
      this.freeBySize.set(count, list);
    }
    list.push(base);
  }

  /** Drops the table; the next user gets a fresh one. */
  reset(): void {
    this.table = undefined;
    this.top = FIRST_SLOT;
    this.freeBySize.clear();
    this.importers = 0;
  }

  /**
   * Replaces the wasm table with an empty one of the same size, keeping the slot allocation:
   * the caller re-instantiates every live user, which fills in its own slots again.
   */
  rotate(): void {
    if (!this.table) return;
    this.table = new WebAssembly.Table({ element: "anyfunc", initial: this.table.length });
    this.importers = 0;
  }

  /** The function at a table index, for host built-ins that call function pointers. */
  get(index: number): ((...args: never[]) => unknown) | null {
    if (!this.table || index <= 0 || index >= this.table.length) return null;
    return this.table.get(index) as ((...args: never[]) => unknown) | null;
  }
}
