// The runtimes a plugin worker keeps resident: least recently used first out, bounded by count
// and by bytes of wasm memory, and idle ones evicted after a while. An evicted runtime is simply
// rebuilt from its client's spec on the next job (plugin static state does not survive, as it
// does not survive a worker replacement), so the bounds trade memory for rebuild time only.
//
// Why a count bound at all: every WebAssembly.Memory reserves its guard region of address space,
// and one process holds about 12,700 of them (all workers together) before V8 throws
// `RangeError: WebAssembly.Memory(): could not allocate memory`. Reaching that limit anyway
// (other workers, other tenants of the process) is not a crash: the cache evicts a batch of its
// own runtimes and tries once more, and if it has nothing to give back the job fails with a
// typed `RuntimeCapacityError` carrying a Retry-After (the server answers 503).

import type { Runtime } from "../kernel/index.ts";
import type { CacheLimits } from "./pool-protocol.ts";

/** The process cannot create another wasm memory right now. */
export class RuntimeCapacityError extends Error {
  override name = "RuntimeCapacityError";
  readonly retryAfterSeconds = 1;
  constructor(readonly key: string) {
    super(`no room for another runtime ('${key}'): the process holds its limit of wasm memories`);
  }
}

/** V8's error when a WebAssembly.Memory cannot reserve its address space. */
export function isWasmMemoryLimit(e: unknown): boolean {
  return e instanceof RangeError && /could not allocate memory/.test(e.message);
}

/** ~12,700 memories per process, shared by every worker; keep clear of it by default. */
export const PROCESS_RUNTIME_BUDGET = 10_000;

export function defaultCacheLimits(workers: number): CacheLimits {
  return {
    maxRuntimes: Math.max(16, Math.floor(PROCESS_RUNTIME_BUDGET / Math.max(1, workers))),
    maxBytes: Math.max(256 << 20, Math.floor((4 * 2 ** 30) / Math.max(1, workers))),
    idleMs: 10 * 60_000,
  };
}

interface Entry {
  key: string;
  stamp: string;
  runtime: Runtime;
  bytes: number;
  lastUsed: number;
}

export interface CacheStats {
  resident: number;
  bytes: number;
  hits: number;
  builds: number;
  evictions: number;
  capacityErrors: number;
}

export class RuntimeCache {
  /** Insertion order is recency order: a use moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;
  private readonly counters = { hits: 0, builds: 0, evictions: 0, capacityErrors: 0 };

  constructor(
    readonly limits: CacheLimits,
    /** Frees a runtime (kernel.destroyRuntime). */
    private readonly destroy: (runtime: Runtime) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get stats(): CacheStats {
    return { resident: this.entries.size, bytes: this.totalBytes, ...this.counters };
  }

  has(key: string, stamp: string): boolean {
    return this.entries.get(key)?.stamp === stamp;
  }

  /** The resident runtime for `key` at `stamp`, or undefined (a stale one is evicted). */
  get(key: string, stamp: string): Runtime | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.stamp !== stamp || e.runtime.isDestroyed) {
      this.evict(e);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    e.lastUsed = this.now();
    this.counters.hits++;
    return e.runtime;
  }

  /**
   * Builds and keeps the runtime for `key` at `stamp` (replacing any other stamp), evicting
   * least recently used runtimes to stay within the bounds.
   */
  build(key: string, stamp: string, make: () => Runtime): Runtime {
    const old = this.entries.get(key);
    if (old) this.evict(old);
    this.makeRoom(1, 0);
    let runtime: Runtime;
    try {
      runtime = make();
    } catch (e) {
      if (!isWasmMemoryLimit(e)) throw e;
      this.counters.capacityErrors++;
      // Give back an eighth of what this worker holds and try once more.
      const batch = Math.max(1, this.entries.size >> 3);
      if (this.entries.size === 0) throw new RuntimeCapacityError(key);
      for (let i = 0; i < batch; i++) this.evictOldest();
      try {
        runtime = make();
      } catch (again) {
        if (isWasmMemoryLimit(again)) throw new RuntimeCapacityError(key);
        throw again;
      }
    }
    const entry: Entry = {
      key,
      stamp,
      runtime,
      bytes: runtime.memory.buffer.byteLength,
      lastUsed: this.now(),
    };
    this.entries.set(key, entry);
    this.totalBytes += entry.bytes;
    this.counters.builds++;
    return runtime;
  }

  /** After a job: the runtime's memory may have grown; re-checks the byte bound. */
  used(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    const bytes = e.runtime.isDestroyed ? 0 : e.runtime.memory.buffer.byteLength;
    this.totalBytes += bytes - e.bytes;
    e.bytes = bytes;
    e.lastUsed = this.now();
    this.entries.delete(key);
    this.entries.set(key, e);
    // The runtime just used stays (it is the most recent); older ones make room.
    this.makeRoom(0, 1);
  }

  /** Evicts runtimes idle longer than `idleMs`; returns how many. */
  sweep(): number {
    const cutoff = this.now() - this.limits.idleMs;
    let n = 0;
    for (const e of this.entries.values()) {
      // Recency order: the first entry still in use ends the sweep.
      if (e.lastUsed > cutoff) break;
      this.evict(e);
      n++;
    }
    return n;
  }

  /** Evicts the runtime of `key`, if resident. */
  remove(key: string): void {
    const e = this.entries.get(key);
    if (e) this.evict(e);
  }

  /** Destroys every runtime. */
  clear(): void {
    for (const e of [...this.entries.values()]) this.evict(e);
  }

  /** Evicts from the old end until `adding` more fit, keeping the newest `keep` entries. */
  private makeRoom(adding: number, keep: number): void {
    while (
      this.entries.size > keep &&
      (this.entries.size + adding > this.limits.maxRuntimes ||
        this.totalBytes > this.limits.maxBytes)
    ) {
      this.evictOldest();
    }
  }

  private evictOldest(): void {
    const first = this.entries.values().next();
    if (!first.done) this.evict(first.value);
  }

  private evict(e: Entry): void {
    this.entries.delete(e.key);
    this.totalBytes -= e.bytes;
    this.counters.evictions++;
    if (!e.runtime.isDestroyed) this.destroy(e.runtime);
  }
}
