// GNU range designators, `[first ... last] = value`: the value is read once, for the first
// element, and its initializer items are then copied to every element of the range. Constant
// bytes become one byte run over the whole range (bounded by the module size, like any
// initialized data); expressions are copied, which would evaluate them once per element, so
// one with side effects is refused (gcc evaluates it once).

import { type AstNode, forEachChild, type InitItem } from "./ast.ts";
import type { CompileLimits } from "./limits.ts";

/** Expression items copied for a range, at most: each becomes a store in the function. */
export const MAX_RANGE_ITEMS = 1 << 16;

/**
 * The items initializing `count` elements of `size` bytes from `offset`, given `first`, the
 * items of the element at `offset`; a message when the range cannot be done.
 */
export function expandRange(
  first: InitItem[],
  offset: number,
  size: number,
  count: number,
  limits: CompileLimits,
): InitItem[] | string {
  if (count === 1) return first;
  if (first.every((item) => "bytes" in item)) {
    if (count * size > limits.maxModuleBytes) {
      return `range initializer too large (${count * size} bytes)`;
    }
    // The whole element is initialized (members not named are zero), so its image repeats.
    const element = new Uint8Array(size);
    for (const item of first) if ("bytes" in item) element.set(item.bytes, item.offset - offset);
    const bytes = new Uint8Array(count * size);
    for (let k = 0; k < count; k++) bytes.set(element, k * size);
    return [{ offset, bytes }];
  }
  if (first.length * count > MAX_RANGE_ITEMS) {
    return `range initializer too large (${count} elements of non-constant values)`;
  }
  if (first.some((item) => "expr" in item && hasSideEffects(item.expr))) {
    return "range designator with a side-effecting initializer is not supported";
  }
  const out: InitItem[] = [];
  for (let k = 0; k < count; k++) {
    for (const item of first) out.push({ ...item, offset: item.offset + k * size });
  }
  return out;
}

function hasSideEffects(n: AstNode): boolean {
  if (n.k === "call" || n.k === "assign" || n.k === "stmtexpr") return true;
  return forEachChild(n, (c) => (hasSideEffects(c) ? true : undefined)) === true;
}
