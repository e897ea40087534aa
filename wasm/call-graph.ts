// The static call graph of a module's defined functions, for the metering rewriter
// (wasm/instrument.ts): which functions lie on a cycle of direct calls (they can recurse, so
// they count call depth) and which never touch the fuel counter (callers skip the store and
// reload around calls to them).

import { forEachInstruction } from "./decoder.ts";
import { Op } from "./opcodes.ts";

const FC_MEMORY_COPY = 10;
const FC_MEMORY_FILL = 11;

/** What the rewriter needs to know about one body before rewriting it. */
export interface BodySummary {
  loops: boolean;
  /** memory.copy or memory.fill (charged by length). */
  bulk: boolean;
  /** call_indirect (the target is unknown statically). */
  indirect: boolean;
  /** Function indices called directly (imports included), without repeats. */
  callees: number[];
}

export function summarizeBody(body: Uint8Array): BodySummary {
  const s: BodySummary = { loops: false, bulk: false, indirect: false, callees: [] };
  const seen = new Set<number>();
  forEachInstruction(body, (ins) => {
    const op = ins.opcode;
    if (op === Op.loop) s.loops = true;
    else if (op === Op.call_indirect) s.indirect = true;
    else if (op === Op.call && !seen.has(ins.index!)) {
      seen.add(ins.index!);
      s.callees.push(ins.index!);
    } else if (op === 0xfc && (ins.sub === FC_MEMORY_COPY || ins.sub === FC_MEMORY_FILL)) {
      s.bulk = true;
    }
  });
  return s;
}

/** Runs no loop, makes no call and no bulk operation: it never reads or changes the fuel. */
export function fuelFree(s: BodySummary): boolean {
  return !s.loops && !s.bulk && !s.indirect && s.callees.length === 0;
}

/**
 * For each defined function (index i = function index - importedFuncs): does it lie on a
 * cycle of direct calls between defined functions (a self-call included)? Tarjan's strongly
 * connected components, iterative so a hostile chain of 100 000 functions cannot overflow
 * the host's stack.
 */
export function onCallCycle(summaries: readonly BodySummary[], importedFuncs: number): boolean[] {
  const n = summaries.length;
  const edges = summaries.map((s) =>
    s.callees
      .filter((c) => c >= importedFuncs && c - importedFuncs < n)
      .map((c) => c - importedFuncs),
  );
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const result = new Array<boolean>(n).fill(false);
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: [node: number, edge: number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, e] = top;
      const out = edges[v]!;
      if (e < out.length) {
        top[1]++;
        const w = out[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] !== index[v]) continue;
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = 0;
        component.push(w);
      } while (w !== v);
      const cyclic = component.length > 1 || edges[v]!.includes(v);
      if (cyclic) for (const c of component) result[c] = true;
    }
  }
  return result;
}
