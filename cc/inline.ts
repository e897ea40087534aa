// Which functions are inlined at their direct call sites. V8 does not inline wasm-to-wasm
// calls, so a per-pixel helper costs a real call unless the compiler expands it. A function is
// inlined everywhere or nowhere, which keeps the decision a property of the callee: small (its
// size with its own inlined callees expanded), not part of a call cycle, no goto or case
// label nested in a switch's statements, not variadic, not returning a record, not calling
// alloca (its memory lives until the function returns: inlined into a loop, it would pile up).

import type { FunctionDef, Var } from "./ast.ts";
import { intrinsicFor } from "./intrinsics.ts";
import type { UnitFacts } from "./lower-analysis.ts";
import { isRecord } from "./types.ts";

/** Expanded size (AST nodes) up to which any function is inlined. */
const MAX_INLINE_SIZE = 40;
/**
 * Bodies without loops may be larger (a single `return expr;` or straight-line code with a few
 * locals and ifs): they cost about their size at each call site, and a call per pixel of a
 * helper with six temporaries costs more than the whole helper (3.5x on grayscale).
 */
const MAX_INLINE_LOOP_FREE_SIZE = 100;

function callsAlloca(def: FunctionDef, facts: UnitFacts): boolean {
  const calls = facts.functions.get(def)?.calls ?? [];
  for (const callee of calls) if (intrinsicFor(callee)?.kind === "alloca") return true;
  return false;
}

export function chooseInlined(functions: FunctionDef[], facts: UnitFacts): Set<FunctionDef> {
  const inCycle = cyclicFunctions(functions);
  const expanded = new Map<FunctionDef, number>();
  const inlined = new Set<FunctionDef>();

  const expandedSize = (def: FunctionDef): number => {
    const known = expanded.get(def);
    if (known !== undefined) return known;
    const own = facts.functions.get(def);
    let size = own?.size ?? 0;
    expanded.set(def, size); // provisional; cycles are excluded below anyway
    for (const callee of own?.calls ?? []) {
      const d = callee.def;
      if (d && !inCycle.has(d) && d !== def && decide(d)) size += expandedSize(d);
    }
    expanded.set(def, size);
    return size;
  };

  const decided = new Map<FunctionDef, boolean>();
  const decide = (def: FunctionDef): boolean => {
    const known = decided.get(def);
    if (known !== undefined) return known;
    decided.set(def, false);
    let ok =
      def.v.inlineHint !== "never" &&
      !inCycle.has(def) &&
      !def.hasGoto &&
      !facts.functions.get(def)?.unstructured &&
      !def.type.variadic &&
      !isRecord(def.type.ret) &&
      !callsAlloca(def, facts);
    if (ok) {
      const size = expandedSize(def);
      const loopFree = isSingleReturn(def) || !facts.functions.get(def)?.loops;
      ok =
        def.v.inlineHint === "always" ||
        size <= MAX_INLINE_SIZE ||
        (loopFree && size <= MAX_INLINE_LOOP_FREE_SIZE);
    }
    decided.set(def, ok);
    if (ok) inlined.add(def);
    return ok;
  };

  for (const def of functions) decide(def);
  return inlined;
}

/** `{ return expr; }` */
export function isSingleReturn(def: FunctionDef): boolean {
  const body = def.body.body;
  return body.length === 1 && body[0]!.k === "return" && body[0]!.value !== undefined;
}

/** Functions on a cycle of direct calls (Tarjan's strongly connected components). */
function cyclicFunctions(functions: FunctionDef[]): Set<FunctionDef> {
  const index = new Map<FunctionDef, number>();
  const low = new Map<FunctionDef, number>();
  const onStack = new Set<FunctionDef>();
  const stack: FunctionDef[] = [];
  const cyclic = new Set<FunctionDef>();
  let counter = 0;

  const callees = (def: FunctionDef): FunctionDef[] => {
    const out: FunctionDef[] = [];
    for (const v of def.callees as Set<Var>) if (v.def) out.push(v.def);
    return out;
  };

  const visit = (def: FunctionDef): void => {
    index.set(def, counter);
    low.set(def, counter);
    counter++;
    stack.push(def);
    onStack.add(def);
    for (const c of callees(def)) {
      if (!index.has(c)) {
        visit(c);
        low.set(def, Math.min(low.get(def)!, low.get(c)!));
      } else if (onStack.has(c)) {
        low.set(def, Math.min(low.get(def)!, index.get(c)!));
      }
      if (c === def) cyclic.add(def);
    }
    if (low.get(def) === index.get(def)) {
      const component: FunctionDef[] = [];
      let top: FunctionDef;
      do {
        top = stack.pop()!;
        onStack.delete(top);
        component.push(top);
      } while (top !== def);
      if (component.length > 1) for (const c of component) cyclic.add(c);
    }
  };

  for (const def of functions) if (!index.has(def)) visit(def);
  return cyclic;
}
