// The order a client's plugins are linked in: each after the plugins it imports from
// (topological over imports and exports, Kahn's algorithm), so a runtime links every plugin in
// one pass. Linear in plugins plus symbols; plugins in a cycle, or importing what no plugin
// exports (a library function, say), keep their relative order at the end or where they are.

export interface Linkable {
  name: string;
  exports: readonly string[];
  imports: readonly string[];
}

export function linkOrder<T extends Linkable>(plugins: readonly T[]): T[] {
  const provider = new Map<string, number>();
  plugins.forEach((p, i) => {
    for (const e of p.exports) provider.set(e, i);
  });
  const waiting = plugins.map(() => 0);
  const dependents: number[][] = plugins.map(() => []);
  plugins.forEach((p, i) => {
    const from = new Set<number>();
    for (const s of p.imports) {
      const j = provider.get(s);
      if (j !== undefined && j !== i) from.add(j);
    }
    waiting[i] = from.size;
    for (const j of from) dependents[j].push(i);
  });
  const ready: number[] = [];
  plugins.forEach((_, i) => {
    if (waiting[i] === 0) ready.push(i);
  });
  const out: T[] = [];
  const placed = new Set<number>();
  for (let k = 0; k < ready.length; k++) {
    const i = ready[k];
    out.push(plugins[i]);
    placed.add(i);
    for (const d of dependents[i]) if (--waiting[d] === 0) ready.push(d);
  }
  // A cycle cannot link in any order; its members go last, as they came.
  plugins.forEach((p, i) => {
    if (!placed.has(i)) out.push(p);
  });
  return out;
}
