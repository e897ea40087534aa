// A function body as a control-flow graph: basic blocks of straight-line statements (expression
// statements and declarations) ending in one terminator. Built only for functions the
// structured lowering cannot express (see jumps.ts): gotos into nested blocks, case labels
// inside nested statements. cfg-structure.ts turns the graph back into wasm's nesting.

import { assertNever, type Call, type Expr, type Stmt } from "./ast.ts";

export interface CfgBlock {
  id: number;
  /** Expression statements and declarations, run in order. */
  stmts: Stmt[];
  term: Terminator;
  /** `state[slot] = value` before the terminator: the edge into a dispatch block. */
  setState?: { slot: number; value: number };
}

export type Terminator =
  | { k: "jump"; to: CfgBlock }
  | { k: "branch"; cond: Expr; ifTrue: CfgBlock; ifFalse: CfgBlock }
  | { k: "switch"; value: Expr; cases: { value: bigint; to: CfgBlock }[]; default: CfgBlock }
  /** Re-enters a multiple-entry cycle at `targets[state[slot]]` (irreducible control flow). */
  | { k: "dispatch"; slot: number; targets: CfgBlock[] }
  | { k: "return"; value?: Expr };

export interface Cfg {
  entry: CfgBlock;
  /** Every block, reachable or not, indexed by id. */
  blocks: CfgBlock[];
  /** Dispatch state slots in use (each becomes an i32 local). */
  slots: number;
  /**
   * setjmp call sites, in order (site k is number k + 1). When there are any, the entry is a
   * dispatch on `setjmpSlot` (0: the body's start, k + 1: site k's re-entry point), where the
   * catch of longjmp's exception (lower-cfg.ts) comes back in.
   */
  setjmps: SetjmpSite[];
  setjmpSlot: number;
}

/**
 * A setjmp call split out of its statement: `save` (the call on its own, ending its block)
 * records the frame and site in the jmp_buf; `reentry` then evaluates the statement with the
 * call's value read from a local: 0 after the save, longjmp's value after a catch.
 */
export interface SetjmpSite {
  call: Call;
  save: Stmt;
  reentry: CfgBlock;
}

/** Successors in terminator order (with repeats). */
export function successors(b: CfgBlock): CfgBlock[] {
  const t = b.term;
  switch (t.k) {
    case "jump":
      return [t.to];
    case "branch":
      return [t.ifTrue, t.ifFalse];
    case "switch":
      return [...t.cases.map((c) => c.to), t.default];
    case "dispatch":
      return t.targets;
    case "return":
      return [];
    default:
      return assertNever(t);
  }
}

/** Replaces every edge of `b` for which `f` returns another block. */
export function retarget(b: CfgBlock, f: (to: CfgBlock) => CfgBlock): void {
  const t = b.term;
  switch (t.k) {
    case "jump":
      t.to = f(t.to);
      return;
    case "branch":
      t.ifTrue = f(t.ifTrue);
      t.ifFalse = f(t.ifFalse);
      return;
    case "switch":
      for (const c of t.cases) c.to = f(c.to);
      t.default = f(t.default);
      return;
    case "dispatch":
      t.targets = t.targets.map(f);
      return;
    case "return":
      return;
    default:
      assertNever(t);
  }
}

export function newBlock(cfg: Cfg): CfgBlock {
  const b: CfgBlock = { id: cfg.blocks.length, stmts: [], term: { k: "return" } };
  cfg.blocks.push(b);
  return b;
}

interface SwitchContext {
  cases: { value: bigint; to: CfgBlock }[];
  default: CfgBlock | undefined;
}

/**
 * Builds the graph of a function body (a list of statements). `isSetjmp` tells setjmp calls,
 * which are split out where C11 7.13.1.1 allows them (see `setjmpOperand`).
 */
export function buildCfg(body: Stmt[], isSetjmp?: (c: Call) => boolean): Cfg {
  const cfg: Cfg = {
    entry: undefined as unknown as CfgBlock,
    blocks: [],
    slots: 0,
    setjmps: [],
    setjmpSlot: -1,
  };
  cfg.entry = newBlock(cfg);
  let current = cfg.entry;
  const labels = new Map<string, CfgBlock>();
  const breaks: CfgBlock[] = [];
  const continues: CfgBlock[] = [];
  const switches: SwitchContext[] = [];

  const labelBlock = (name: string): CfgBlock => {
    let b = labels.get(name);
    if (!b) {
      b = newBlock(cfg);
      labels.set(name, b);
    }
    return b;
  };
  /** Ends the current block with `term`; what follows starts unreachable. */
  const end = (term: Terminator): void => {
    current.term = term;
    current = newBlock(cfg);
  };
  /** Falls through into `b`, which becomes current. */
  const enter = (b: CfgBlock): void => {
    current.term = { k: "jump", to: b };
    current = b;
  };

  /** Ends the current block at a setjmp call `e` evaluates where C allows one. */
  const splitSetjmp = (e: Expr): void => {
    const call = isSetjmp && setjmpOperand(e, isSetjmp);
    if (!call) return;
    const save: Stmt = { k: "expr", loc: call.loc, expr: call };
    current.stmts.push(save);
    const reentry = newBlock(cfg);
    enter(reentry);
    cfg.setjmps.push({ call, save, reentry });
  };

  const walk = (s: Stmt): void => {
    switch (s.k) {
      case "expr":
        splitSetjmp(s.expr);
        current.stmts.push(s);
        return;
      case "decl": {
        if (!s.init) return;
        const only = s.init.items.length === 1 ? s.init.items[0]! : undefined;
        if (only && "expr" in only) splitSetjmp(only.expr); // `int r = setjmp(b);`
        current.stmts.push(s);
        return;
      }
      case "block":
        for (const x of s.body) walk(x);
        return;
      case "if": {
        const then = newBlock(cfg);
        const join = newBlock(cfg);
        const els = s.else ? newBlock(cfg) : join;
        branch(s.cond, then, els);
        current = then;
        walk(s.then);
        if (s.else) {
          enter(join);
          current = els;
          walk(s.else);
        }
        enter(join);
        return;
      }
      case "while":
      case "for": {
        if (s.k === "for" && s.init) walk(s.init);
        const head = newBlock(cfg);
        const body = newBlock(cfg);
        const exit = newBlock(cfg);
        const step = s.k === "for" && s.step ? newBlock(cfg) : head;
        enter(head);
        if (s.cond) branch(s.cond, body, exit);
        else enter(body);
        current = body;
        loopBody(s.body, exit, step);
        if (s.k === "for" && s.step) {
          enter(step);
          step.stmts.push({ k: "expr", loc: s.loc, expr: s.step });
        }
        current.term = { k: "jump", to: head };
        current = exit;
        return;
      }
      case "do": {
        const body = newBlock(cfg);
        const test = newBlock(cfg);
        const exit = newBlock(cfg);
        enter(body);
        loopBody(s.body, exit, test);
        enter(test);
        branch(s.cond, body, exit);
        current = exit;
        return;
      }
      case "switch": {
        const exit = newBlock(cfg);
        const ctx: SwitchContext = { cases: [], default: undefined };
        splitSetjmp(s.cond);
        const head = current;
        current = newBlock(cfg); // statements before the first case are unreachable
        switches.push(ctx);
        breaks.push(exit);
        walk(s.body);
        breaks.pop();
        switches.pop();
        enter(exit);
        head.term = { k: "switch", value: s.cond, cases: ctx.cases, default: ctx.default ?? exit };
        return;
      }
      case "case": {
        const b = newBlock(cfg);
        const ctx = switches[switches.length - 1];
        if (ctx && s.value === undefined) ctx.default = b;
        else if (ctx && s.value !== undefined) ctx.cases.push({ value: s.value, to: b });
        enter(b);
        walk(s.body);
        return;
      }
      case "label":
        enter(labelBlock(s.name));
        walk(s.body);
        return;
      case "goto":
        end({ k: "jump", to: labelBlock(s.label) });
        return;
      case "break":
        end({ k: "jump", to: breaks[breaks.length - 1]! });
        return;
      case "continue":
        end({ k: "jump", to: continues[continues.length - 1]! });
        return;
      case "return":
        end(s.value ? { k: "return", value: s.value } : { k: "return" });
        return;
      default:
        assertNever(s);
    }
  };

  /** A branch on `cond`, or a jump when it is constant. */
  const branch = (cond: Expr, then: CfgBlock, els: CfgBlock): void => {
    splitSetjmp(cond);
    const k = constTruth(cond);
    current.term =
      k === undefined
        ? { k: "branch", cond, ifTrue: then, ifFalse: els }
        : { k: "jump", to: k ? then : els };
    current = newBlock(cfg);
  };

  const loopBody = (body: Stmt, exit: CfgBlock, cont: CfgBlock): void => {
    breaks.push(exit);
    continues.push(cont);
    walk(body);
    breaks.pop();
    continues.pop();
  };

  for (const s of body) walk(s);
  current.term = { k: "return" };
  if (cfg.setjmps.length > 0) {
    cfg.setjmpSlot = cfg.slots++;
    const dispatch = newBlock(cfg);
    const targets = [cfg.entry, ...cfg.setjmps.map((site) => site.reentry)];
    dispatch.term = { k: "dispatch", slot: cfg.setjmpSlot, targets };
    cfg.entry = dispatch;
  }
  simplify(cfg);
  return cfg;
}

/**
 * The setjmp call of `e` when `e` uses it as C11 7.13.1.1 allows: the whole expression, the
 * operand of `!`, compared (relational or equality) with an integer constant, or converted to
 * void; and, as gcc and clang accept, the value assigned to (or initializing) a variable.
 * Nothing else in such an
 * expression has a side effect, so evaluating it again with the call's value is the rest of
 * its evaluation after setjmp returns.
 */
export function setjmpOperand(e: Expr, isSetjmp: (c: Call) => boolean): Call | undefined {
  switch (e.k) {
    case "call":
      return isSetjmp(e) ? e : undefined;
    case "cast":
      return setjmpOperand(e.arg, isSetjmp);
    case "unary":
      return e.op === "!" ? setjmpOperand(e.arg, isSetjmp) : undefined;
    case "binary":
      if (!["<", ">", "<=", ">=", "==", "!="].includes(e.op)) return undefined;
      if (isIntConstant(e.r)) return setjmpOperand(e.l, isSetjmp);
      if (isIntConstant(e.l)) return setjmpOperand(e.r, isSetjmp);
      return undefined;
    case "assign":
      return e.lv.k === "var" ? setjmpOperand(e.value, isSetjmp) : undefined;
    default:
      return undefined;
  }
}

function isIntConstant(e: Expr): boolean {
  return e.k === "int" || (e.k === "cast" && isIntConstant(e.arg));
}

/** The truth of a constant condition, or undefined if it is not constant. */
export function constTruth(e: Expr): boolean | undefined {
  if (e.k === "int") return e.value !== 0n;
  if (e.k === "float") return e.value !== 0;
  if (e.k === "cast" && (e.arg.k === "int" || e.arg.k === "float")) return constTruth(e.arg);
  return undefined;
}

/**
 * Threads jumps through empty blocks and merges a block into its only predecessor when that
 * predecessor jumps to it, so the structuring sees few, large blocks. A cycle of empty blocks
 * (`L: goto L;`) keeps one block: it must still loop, and be charged fuel.
 */
function simplify(cfg: Cfg): void {
  const skip = (b: CfgBlock): CfgBlock => {
    const seen = new Set<CfgBlock>();
    while (b.stmts.length === 0 && b.term.k === "jump" && !seen.has(b)) {
      seen.add(b);
      b = b.term.to;
    }
    return b;
  };
  for (const b of reachable(cfg.entry)) retarget(b, skip);
  const live = reachable(cfg.entry);
  const preds = new Map<CfgBlock, number>();
  for (const b of live) for (const s of successors(b)) preds.set(s, (preds.get(s) ?? 0) + 1);
  for (const b of live) {
    for (;;) {
      const t = b.term;
      if (t.k !== "jump" || t.to === b || t.to === cfg.entry || preds.get(t.to) !== 1) break;
      const next = t.to;
      b.stmts.push(...next.stmts);
      b.term = next.term;
      next.stmts = [];
      next.term = { k: "return" };
      preds.delete(next);
    }
  }
}

/** Blocks reachable from `entry`, in depth-first preorder. */
export function reachable(entry: CfgBlock): CfgBlock[] {
  const seen = new Set<CfgBlock>([entry]);
  const out: CfgBlock[] = [];
  const stack = [entry];
  while (stack.length > 0) {
    const b = stack.pop()!;
    out.push(b);
    for (const s of successors(b)) {
      if (!seen.has(s)) {
        seen.add(s);
        stack.push(s);
      }
    }
  }
  return out;
}
