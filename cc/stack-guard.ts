// The compiler's passes recurse over the AST, so the height of an expression tree (a chain of
// 10,000 `+`, or `a = b = c = ...`) is bounded by the JS stack, not by a count: each pass runs
// until V8 reports the stack exhausted, and that becomes a diagnostic at the construct being
// compiled. The stack is whatever the caller has left (about 984 KB on Node's main thread, 4 MB
// in a worker), so the limit follows memory, and a failed walk costs only the work done so far.

import type { Loc } from "./diagnostics.ts";

/** The diagnostic for an expression or statement too deep for the compiler's stack. */
export const NESTING_TOO_DEEP = "nesting too deep for the compiler's stack";

/** Whether `e` is V8's RangeError for an exhausted call stack. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message === "Maximum call stack size exceeded";
}

/** A pass over one function ran out of stack; `compile()` reports it at the function. */
export class StackExhausted extends Error {
  constructor(
    readonly loc: Loc,
    readonly functionName: string,
  ) {
    super(`${NESTING_TOO_DEEP} in '${functionName}'`);
  }
}

/** Runs `work` (a pass over the function `name` at `loc`), turning stack exhaustion into a
 *  `StackExhausted` that names the function. */
export function guardStack<T>(loc: Loc, name: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (isStackOverflow(e)) throw new StackExhausted(loc, name);
    throw e;
  }
}
