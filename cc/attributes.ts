// GNU `__attribute__((...))`. Honoured: `packed` and `aligned` on struct/union types and
// members, `noinline`/`always_inline` on functions (cc/inline.ts), `unused` (silences the
// unused-variable warning). Any other attribute is accepted and ignored with a warning.

import type { Loc } from "./diagnostics.ts";
import { parseIntConstExpr } from "./expressions.ts";
import type { Parser } from "./parse.ts";

export interface Attributes {
  packed?: boolean;
  /** `aligned(N)`; bare `aligned` is the target's largest alignment, 16 on i386. */
  aligned?: number;
  unused?: boolean;
  inline?: "never" | "always";
}

const HONOURED = new Set(["packed", "aligned", "unused", "noinline", "always_inline"]);

/**
 * attribute      = "__attribute__" "(" "(" (attribute-item ("," attribute-item)*)? ")" ")"
 * attribute-item = ident ("(" balanced-tokens ")")?        ; aligned takes a const-expr
 * Merges what it reads into `into`.
 */
export function parseAttribute(p: Parser, into: Attributes = {}): Attributes {
  p.pos++; // __attribute__
  p.expect("(");
  p.expect("(");
  while (!p.eat(")")) {
    if (p.eat(",")) continue;
    const t = p.next();
    if (t.kind !== "ident") p.fatal(t.loc, `expected attribute name ${p.describeHere()}`);
    const name = t.text.replace(/^__(.*)__$/, "$1");
    if (name === "aligned") {
      into.aligned = Math.max(into.aligned ?? 1, alignedArgument(p, t.loc));
      continue;
    }
    if (p.at("(")) skipBalanced(p);
    if (name === "packed") into.packed = true;
    else if (name === "unused") into.unused = true;
    else if (name === "noinline") into.inline = "never";
    else if (name === "always_inline") into.inline = "always";
    if (!HONOURED.has(name)) p.warn(t.loc, `'${t.text}' attribute ignored`);
  }
  p.expect(")");
  return into;
}

/** Reads any number of consecutive `__attribute__((...))`. */
export function parseAttributes(p: Parser, into: Attributes = {}): Attributes {
  while (p.tok.kind === "ident" && p.tok.text === "__attribute__") parseAttribute(p, into);
  return into;
}

function alignedArgument(p: Parser, loc: Loc): number {
  if (!p.eat("(")) return 16;
  const n = parseIntConstExpr(p) ?? 1n;
  p.expect(")");
  if (n <= 0n || n > 1n << 28n || (n & (n - 1n)) !== 0n) {
    p.error(loc, "requested alignment is not a positive power of 2");
    return 1;
  }
  return Number(n);
}

function skipBalanced(p: Parser): void {
  let depth = 0;
  do {
    const t = p.next();
    if (t.kind === "eof") p.fatal(t.loc, "expected ')' at end of input");
    if (t.text === "(") depth++;
    else if (t.text === ")") depth--;
  } while (depth > 0);
}
