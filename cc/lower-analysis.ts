// One walk over the translation unit before any code is emitted: which functions are called,
// which have their address taken, which globals are referenced, how big each function is (for
// inlining) and which labels are goto targets. Everything that fixes an index in the module
// (imports, table slots, data offsets) is decided from this.

import {
  type AstNode,
  type Expr,
  type FunctionDef,
  forEachChild,
  forEachInitExpr,
  type Initializer,
  type TranslationUnit,
  type Var,
} from "./ast.ts";
import { isSetjmp } from "./intrinsics.ts";
import { needsCfg } from "./jumps.ts";
import { guardStack } from "./stack-guard.ts";

/** Byte initializers of local arrays at least this long are copied from static data. */
export const BLOB_MIN_BYTES = 64;

export interface FunctionFacts {
  /** AST nodes (statements and expressions). */
  size: number;
  /** Direct callees, once per call site. */
  calls: Var[];
  gotoTargets: Set<string>;
  /** Contains a while, do or for loop. */
  loops: boolean;
  /** Contains a switch. */
  switches: boolean;
  /** Has jumps only a control-flow graph can lower (jumps.ts), or calls setjmp: never inlined. */
  unstructured: boolean;
  /** Calls setjmp (lowered through the CFG, with a catch for longjmp: lower-cfg.ts). */
  setjmp: boolean;
}

export interface UnitFacts {
  /** Functions called directly somewhere. */
  called: Set<Var>;
  /** Functions whose address is taken, in first-use order (their table slots). */
  addressTaken: Set<Var>;
  hasIndirectCalls: boolean;
  /** Global variables (including string literals) referenced by code or by static data. */
  globalsUsed: Set<Var>;
  functions: Map<FunctionDef, FunctionFacts>;
  /** Large byte initializers of block-scope arrays, placed in static data. */
  blobs: Uint8Array[];
}

export function analyzeUnit(unit: TranslationUnit): UnitFacts {
  const facts: UnitFacts = {
    called: new Set(),
    addressTaken: new Set(),
    hasIndirectCalls: false,
    globalsUsed: new Set(),
    functions: new Map(),
    blobs: [],
  };
  let current: FunctionFacts = newFacts();

  const useVar = (v: Var) => {
    if (v.kind === "global") useGlobal(v);
  };
  const pendingGlobals: Var[] = [];
  const useGlobal = (v: Var) => {
    if (facts.globalsUsed.has(v)) return;
    facts.globalsUsed.add(v);
    pendingGlobals.push(v);
  };

  const blobsOf = (init: Initializer) => {
    for (const item of init.items) {
      if ("bytes" in item && item.bytes.length >= BLOB_MIN_BYTES) facts.blobs.push(item.bytes);
    }
  };

  const visit = (n: AstNode): void => {
    current.size++;
    switch (n.k) {
      case "var":
        useVar(n.v);
        return;
      case "addr":
        if (n.lv.k === "var" && n.lv.v.kind === "function") {
          facts.addressTaken.add(n.lv.v);
          return;
        }
        break;
      case "call": {
        const direct = directCallee(n.callee);
        if (!direct) {
          facts.hasIndirectCalls = true;
          break;
        }
        facts.called.add(direct);
        current.calls.push(direct);
        if (isSetjmp(direct)) current.setjmp = true;
        for (const a of n.args) visit(a);
        return;
      }
      case "compound":
        blobsOf(n.init);
        break;
      case "decl":
        if (n.init) blobsOf(n.init);
        break;
      case "while":
      case "do":
      case "for":
        current.loops = true;
        break;
      case "switch":
        current.switches = true;
        break;
      case "goto":
        current.gotoTargets.add(n.label);
        break;
    }
    forEachChild(n, visit);
  };

  for (const def of unit.functions) {
    current = newFacts();
    facts.functions.set(def, current);
    guardStack(def.loc, def.v.name, () => {
      visit(def.body);
      // A setjmp call site is a re-entry point: only the CFG lowering can branch into it.
      if (current.setjmp) current.unstructured = true;
      else if (current.gotoTargets.size > 0 || current.switches) {
        current.unstructured = needsCfg(def.body.body);
      }
    });
  }
  // Static data reachable from referenced globals (address constants) is referenced too.
  const scratch: FunctionFacts = newFacts();
  current = scratch;
  while (pendingGlobals.length > 0) {
    const g = pendingGlobals.pop()!;
    if (g.init) forEachInitExpr(g.init, visit);
  }
  return facts;
}

function newFacts(): FunctionFacts {
  return {
    size: 0,
    calls: [],
    gotoTargets: new Set(),
    loops: false,
    switches: false,
    unstructured: false,
    setjmp: false,
  };
}

/** The function a call names directly (`f(...)` or `(&f)(...)`), if any. */
export function directCallee(callee: Expr): Var | undefined {
  if (callee.k === "var" && callee.v.kind === "function") return callee.v;
  if (callee.k === "addr" && callee.lv.k === "var" && callee.lv.v.kind === "function") {
    return callee.lv.v;
  }
  return undefined;
}
