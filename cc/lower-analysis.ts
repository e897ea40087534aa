// One walk over the translation unit before any code is emitted: which functions are called,
// which have their address taken, which globals are referenced, how big each function is (for
// inlining) and which labels are goto targets. Everything that fixes an index in the module
// (imports, table slots, data offsets) is decided from this.

import type { Expr, FunctionDef, Initializer, Stmt, TranslationUnit, Var } from "./ast.ts";

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
  let current: FunctionFacts = { size: 0, calls: [], gotoTargets: new Set(), loops: false };

  const useVar = (v: Var) => {
    if (v.kind === "global") useGlobal(v);
  };
  const pendingGlobals: Var[] = [];
  const useGlobal = (v: Var) => {
    if (facts.globalsUsed.has(v)) return;
    facts.globalsUsed.add(v);
    pendingGlobals.push(v);
  };

  const initializer = (init: Initializer, local: boolean) => {
    for (const item of init.items) {
      if ("expr" in item) expr(item.expr);
      else if (local && item.bytes.length >= BLOB_MIN_BYTES) facts.blobs.push(item.bytes);
    }
  };

  const expr = (e: Expr): void => {
    current.size++;
    switch (e.k) {
      case "int":
      case "float":
        return;
      case "var":
        useVar(e.v);
        return;
      case "deref":
        expr(e.ptr);
        return;
      case "member":
        expr(e.base);
        return;
      case "addr":
        if (e.lv.k === "var" && e.lv.v.kind === "function") facts.addressTaken.add(e.lv.v);
        else expr(e.lv);
        return;
      case "unary":
      case "cast":
        expr(e.arg);
        return;
      case "binary":
      case "logical":
      case "comma":
        expr(e.l);
        expr(e.r);
        return;
      case "cond":
        expr(e.c);
        expr(e.t);
        expr(e.f);
        return;
      case "assign":
        expr(e.lv);
        expr(e.value);
        return;
      case "call": {
        const direct = directCallee(e.callee);
        if (direct) {
          facts.called.add(direct);
          current.calls.push(direct);
        } else {
          facts.hasIndirectCalls = true;
          expr(e.callee);
        }
        for (const a of e.args) expr(a);
        return;
      }
      case "compound":
        initializer(e.init, true);
        return;
    }
  };

  const stmt = (s: Stmt): void => {
    current.size++;
    switch (s.k) {
      case "expr":
        expr(s.expr);
        return;
      case "decl":
        if (s.init) initializer(s.init, true);
        return;
      case "block":
        for (const b of s.body) stmt(b);
        return;
      case "if":
        expr(s.cond);
        stmt(s.then);
        if (s.else) stmt(s.else);
        return;
      case "while":
      case "do":
        current.loops = true;
        expr(s.cond);
        stmt(s.body);
        return;
      case "for":
        current.loops = true;
        if (s.init) stmt(s.init);
        if (s.cond) expr(s.cond);
        if (s.step) expr(s.step);
        stmt(s.body);
        return;
      case "switch":
        expr(s.cond);
        stmt(s.body);
        return;
      case "case":
      case "label":
        stmt(s.body);
        return;
      case "return":
        if (s.value) expr(s.value);
        return;
      case "goto":
        current.gotoTargets.add(s.label);
        return;
      case "break":
      case "continue":
        return;
    }
  };

  for (const def of unit.functions) {
    current = { size: 0, calls: [], gotoTargets: new Set(), loops: false };
    facts.functions.set(def, current);
    stmt(def.body);
  }
  // Static data reachable from referenced globals (address constants) is referenced too.
  const scratch: FunctionFacts = { size: 0, calls: [], gotoTargets: new Set(), loops: false };
  current = scratch;
  while (pendingGlobals.length > 0) {
    const g = pendingGlobals.pop()!;
    if (g.init) initializer(g.init, false);
  }
  return facts;
}

/** The function a call names directly (`f(...)` or `(&f)(...)`), if any. */
export function directCallee(callee: Expr): Var | undefined {
  if (callee.k === "var" && callee.v.kind === "function") return callee.v;
  if (callee.k === "addr" && callee.lv.k === "var" && callee.lv.v.kind === "function") {
    return callee.lv.v;
  }
  return undefined;
}
