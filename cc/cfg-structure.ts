// Structured control flow from a CFG (cfg.ts), for wasm's block/loop/br: the dominator-tree
// translation of Ramsey's "Beyond Relooper" (ICFP 2022), the scheme of LLVM's WebAssembly
// CFGStackify. A block dominated by a node and entered from several places (a merge node)
// becomes a wasm `block` that the node's code is nested in, so that every forward branch to
// it is a `br` to that block's end; a node that is the target of a back edge becomes a
// `loop`. That needs a reducible graph: a cycle with several entries (a goto into a loop) is
// first given a single entry, a dispatch block that sets nothing but branches on a state
// local that each edge into the cycle sets (as LLVM's FixIrreducibleControlFlow does).
//
// The result is a flat list of structured instructions; a peephole drops each `br` that only
// falls through to its target and each block no branch targets. Every loop charges fuel at
// its top, so every cycle of the original graph is metered.

import type { Expr } from "./ast.ts";
import { type Cfg, type CfgBlock, newBlock, reachable, retarget, successors } from "./cfg.ts";

export type Structured =
  | { op: "block"; label: number }
  | { op: "loop"; label: number }
  /** One unit of fuel per loop iteration. */
  | { op: "charge" }
  | { op: "if"; cond: Expr }
  | { op: "else" }
  | { op: "end" }
  | { op: "br"; label: number }
  | { op: "brIf"; cond: Expr; negate: boolean; label: number }
  | { op: "code"; block: CfgBlock }
  | { op: "switch"; value: Expr; cases: { value: bigint; label: number }[]; default: number }
  | { op: "dispatch"; slot: number; labels: number[] }
  | { op: "return"; value?: Expr };

interface Order {
  /** Blocks in reverse postorder. */
  rpo: CfgBlock[];
  /** Reverse-postorder number of each block id (-1: unreachable). */
  num: Int32Array;
  /** Immediate dominator's reverse-postorder number, by reverse-postorder number. */
  idom: Int32Array;
}

function order(cfg: Cfg): Order {
  const num = new Int32Array(cfg.blocks.length).fill(-1);
  const post: CfgBlock[] = [];
  // Iterative depth-first search; successors visited last-first, so the first successor (a
  // `then`, the first case) comes first in reverse postorder.
  const visited = new Uint8Array(cfg.blocks.length);
  const stack: { b: CfgBlock; succ: CfgBlock[]; i: number }[] = [];
  const push = (b: CfgBlock) => {
    visited[b.id] = 1;
    stack.push({ b, succ: successors(b), i: 0 });
  };
  push(cfg.entry);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const s = top.succ;
    if (top.i < s.length) {
      const next = s[s.length - 1 - top.i++]!;
      if (!visited[next.id]) push(next);
    } else {
      stack.pop();
      post.push(top.b);
    }
  }
  const rpo = post.reverse();
  rpo.forEach((b, i) => {
    num[b.id] = i;
  });
  // Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm".
  const preds: number[][] = rpo.map(() => []);
  for (const b of rpo) for (const s of successors(b)) preds[num[s.id]!]!.push(num[b.id]!);
  const idom = new Int32Array(rpo.length).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (a > b) a = idom[a]!;
      while (b > a) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 1; i < rpo.length; i++) {
      let d = -1;
      for (const p of preds[i]!) {
        if (idom[p] === -1) continue;
        d = d === -1 ? p : intersect(p, d);
      }
      if (d !== idom[i]) {
        idom[i] = d;
        changed = true;
      }
    }
  }
  return { rpo, num, idom };
}

function dominates(o: Order, a: number, b: number): boolean {
  while (b > a) b = o.idom[b]!;
  return a === b;
}

function reducible(o: Order): boolean {
  for (const b of o.rpo) {
    const from = o.num[b.id]!;
    for (const s of successors(b)) {
      const to = o.num[s.id]!;
      if (to <= from && !dominates(o, to, from)) return false;
    }
  }
  return true;
}

/**
 * Gives every cycle a single entry. Strongly connected regions are found from the outside in:
 * a region with one entry keeps it as its header and its inside (without the header) is
 * searched again; a region with several gets a dispatch block as its header, and every edge
 * to one of the old entries, from outside or inside, goes through a trampoline that sets the
 * state and jumps to the dispatch block.
 */
function fixIrreducible(cfg: Cfg): void {
  const preds = new Map<CfgBlock, Set<CfgBlock>>();
  const predsOf = (b: CfgBlock): Set<CfgBlock> => {
    let set = preds.get(b);
    if (!set) {
      set = new Set();
      preds.set(b, set);
    }
    return set;
  };
  const all = reachable(cfg.entry);
  for (const b of all) for (const s of successors(b)) predsOf(s).add(b);
  const work: { nodes: Set<CfgBlock>; header: CfgBlock | undefined }[] = [
    { nodes: new Set(all), header: undefined },
  ];
  while (work.length > 0) {
    const { nodes, header } = work.pop()!;
    for (const scc of stronglyConnected(nodes, header)) {
      const inside = new Set(scc);
      const entries = scc.filter(
        (n) => n === cfg.entry || [...predsOf(n)].some((p) => !inside.has(p)),
      );
      if (entries.length === 1) {
        work.push({ nodes: inside, header: entries[0]! });
        continue;
      }
      const slot = cfg.slots++;
      const dispatch = newBlock(cfg);
      dispatch.term = { k: "dispatch", slot, targets: entries };
      const trampoline = (from: CfgBlock | undefined, index: number): CfgBlock => {
        const t = newBlock(cfg);
        t.setState = { slot, value: index };
        t.term = { k: "jump", to: dispatch };
        if (from && inside.has(from)) inside.add(t);
        return t;
      };
      entries.forEach((e, index) => {
        for (const p of [...predsOf(e)]) {
          const t = trampoline(p, index);
          retarget(p, (to) => (to === e ? t : to));
          predsOf(e).delete(p);
          predsOf(t).add(p);
          predsOf(dispatch).add(t);
        }
        if (e === cfg.entry) {
          cfg.entry = trampoline(undefined, index);
          predsOf(dispatch).add(cfg.entry);
        }
        predsOf(e).add(dispatch);
      });
      inside.add(dispatch);
      work.push({ nodes: inside, header: dispatch });
    }
  }
}

/**
 * The strongly connected components with a cycle among `nodes` minus `header`, edges into the
 * header ignored (Tarjan's algorithm, iterative).
 */
function stronglyConnected(nodes: Set<CfgBlock>, header: CfgBlock | undefined): CfgBlock[][] {
  const index = new Map<CfgBlock, number>();
  const low = new Map<CfgBlock, number>();
  const onStack = new Set<CfgBlock>();
  const stack: CfgBlock[] = [];
  const out: CfgBlock[][] = [];
  let counter = 0;
  const inRegion = (b: CfgBlock) => b !== header && nodes.has(b);
  for (const root of nodes) {
    if (!inRegion(root) || index.has(root)) continue;
    const frames: { b: CfgBlock; succ: CfgBlock[]; i: number }[] = [];
    const open = (b: CfgBlock) => {
      index.set(b, counter);
      low.set(b, counter++);
      stack.push(b);
      onStack.add(b);
      frames.push({ b, succ: successors(b).filter(inRegion), i: 0 });
    };
    open(root);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (f.i < f.succ.length) {
        const s = f.succ[f.i++]!;
        if (!index.has(s)) open(s);
        else if (onStack.has(s)) low.set(f.b, Math.min(low.get(f.b)!, index.get(s)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.b, Math.min(low.get(parent.b)!, low.get(f.b)!));
      if (low.get(f.b) === index.get(f.b)) {
        const scc: CfgBlock[] = [];
        let x: CfgBlock;
        do {
          x = stack.pop()!;
          onStack.delete(x);
          scc.push(x);
        } while (x !== f.b);
        if (scc.length > 1 || successors(f.b).includes(f.b)) out.push(scc);
      }
    }
  }
  return out;
}

/** Lays out the CFG as structured instructions. */
export function structure(cfg: Cfg): Structured[] {
  let o = order(cfg);
  if (!reducible(o)) {
    fixIrreducible(cfg);
    o = order(cfg);
    if (!reducible(o)) throw new Error("control flow graph still irreducible");
  }
  const n = o.rpo.length;
  const forwardPreds = new Int32Array(n);
  const loopHeader = new Uint8Array(n);
  const needsLabel = new Uint8Array(n);
  for (const b of o.rpo) {
    const from = o.num[b.id]!;
    const t = b.term;
    for (const s of successors(b)) {
      const to = o.num[s.id]!;
      if (to <= from) loopHeader[to] = 1;
      else forwardPreds[to]!++;
      // br_table targets must be labels, never code inlined at the branch
      if (t.k === "switch" || t.k === "dispatch") needsLabel[to] = 1;
    }
  }
  const merge = (i: number) => forwardPreds[i]! > 1 || needsLabel[i] === 1;
  // Children of each node in the dominator tree that are merge nodes, by ascending number.
  const mergeChildren: number[][] = o.rpo.map(() => []);
  for (let i = 1; i < n; i++) if (merge(i)) mergeChildren[o.idom[i]!]!.push(i);

  const out: Structured[] = [];
  let labels = 0;
  const blockLabel = new Int32Array(n).fill(-1);
  const loopLabel = new Int32Array(n).fill(-1);
  type Task =
    | { t: "tree"; node: number }
    | { t: "emit"; item: Structured }
    | { t: "closeBlock"; node: number }
    | { t: "closeLoop"; node: number };
  const tasks: Task[] = [{ t: "tree", node: 0 }];

  /** A branch from `from` to `to`: a label to branch to, or -1 to place `to`'s code here. */
  const target = (from: number, to: number): number => {
    if (to <= from) return loopLabel[to]!;
    if (merge(to)) return blockLabel[to]!;
    return -1;
  };
  const jump = (from: number, to: number) => {
    const label = target(from, to);
    if (label >= 0) out.push({ op: "br", label });
    else tasks.push({ t: "tree", node: to });
  };

  while (tasks.length > 0) {
    const task = tasks.pop()!;
    switch (task.t) {
      case "emit":
        out.push(task.item);
        continue;
      case "closeBlock":
        out.push({ op: "end" });
        blockLabel[task.node] = -1;
        tasks.push({ t: "tree", node: task.node });
        continue;
      case "closeLoop":
        out.push({ op: "end" });
        loopLabel[task.node] = -1;
        continue;
      case "tree":
        break;
    }
    const x = task.node;
    const b = o.rpo[x]!;
    if (loopHeader[x]) {
      loopLabel[x] = labels;
      out.push({ op: "loop", label: labels++ }, { op: "charge" });
      tasks.push({ t: "closeLoop", node: x });
    }
    const ys = mergeChildren[x]!;
    for (let i = ys.length - 1; i >= 0; i--) {
      const y = ys[i]!;
      blockLabel[y] = labels;
      out.push({ op: "block", label: labels++ });
    }
    for (let i = ys.length - 1; i >= 0; i--) tasks.push({ t: "closeBlock", node: ys[i]! });
    out.push({ op: "code", block: b });
    const t = b.term;
    const num = (c: CfgBlock) => o.num[c.id]!;
    switch (t.k) {
      case "jump":
        jump(x, num(t.to));
        break;
      case "branch": {
        const yes = num(t.ifTrue);
        const no = num(t.ifFalse);
        const ly = target(x, yes);
        const ln = target(x, no);
        if (ly >= 0) {
          out.push({ op: "brIf", cond: t.cond, negate: false, label: ly });
          jump(x, no);
        } else if (ln >= 0) {
          out.push({ op: "brIf", cond: t.cond, negate: true, label: ln });
          jump(x, yes);
        } else {
          out.push({ op: "if", cond: t.cond });
          tasks.push(
            { t: "emit", item: { op: "end" } },
            { t: "tree", node: no },
            { t: "emit", item: { op: "else" } },
            { t: "tree", node: yes },
          );
        }
        break;
      }
      case "switch":
        out.push({
          op: "switch",
          value: t.value,
          cases: t.cases.map((c) => ({ value: c.value, label: target(x, num(c.to)) })),
          default: target(x, num(t.default)),
        });
        break;
      case "dispatch":
        out.push({ op: "dispatch", slot: t.slot, labels: t.targets.map((c) => target(x, num(c))) });
        break;
      case "return":
        out.push(t.value ? { op: "return", value: t.value } : { op: "return" });
        break;
    }
  }
  return peephole(out);
}

/**
 * Drops a `br` whose target is reached by falling through (only `end`s, and `else` arms
 * skipped, lie between it and its block's end), then blocks no branch targets.
 */
function peephole(list: Structured[]): Structured[] {
  // The matching `end` of each block/loop/if, and of the if of each `else`.
  const match = new Int32Array(list.length).fill(-1);
  const endOfLabel = new Map<number, number>();
  const open: number[] = [];
  list.forEach((s, i) => {
    if (s.op === "block" || s.op === "loop" || s.op === "if") open.push(i);
    else if (s.op === "else")
      match[i] = -2; // resolved at the end of its if
    else if (s.op === "end") {
      const start = open.pop()!;
      match[start] = i;
      const st = list[start]!;
      if (st.op === "block") endOfLabel.set(st.label, i);
    }
  });
  // else -> the end of its if
  const ifs: number[] = [];
  list.forEach((s, i) => {
    if (s.op === "block" || s.op === "loop" || s.op === "if") ifs.push(i);
    else if (s.op === "else") match[i] = match[ifs[ifs.length - 1]!]!;
    else if (s.op === "end") ifs.pop();
  });
  const keep = new Uint8Array(list.length).fill(1);
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (s.op !== "br") continue;
    const end = endOfLabel.get(s.label);
    if (end === undefined) continue; // a loop: branches back, never falls through
    let j = i + 1;
    while (j < end) {
      const x = list[j]!;
      if (x.op === "end") j++;
      else if (x.op === "else") j = match[j]! + 1;
      else break;
    }
    if (j === end) keep[i] = 0;
  }
  const used = new Set<number>();
  list.forEach((s, i) => {
    if (!keep[i]) return;
    if (s.op === "br" || s.op === "brIf") used.add(s.label);
    else if (s.op === "switch") {
      used.add(s.default);
      for (const c of s.cases) used.add(c.label);
    } else if (s.op === "dispatch") for (const l of s.labels) used.add(l);
  });
  list.forEach((s, i) => {
    if (s.op === "block" && !used.has(s.label)) {
      keep[i] = 0;
      keep[match[i]!] = 0;
    }
  });
  return list.filter((_, i) => keep[i]);
}
