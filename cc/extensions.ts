// Declaration-level C11/GNU extensions: `_Static_assert`, `typeof` and `_Alignas`.

import { isBitField } from "./conversions.ts";
import { isTypeStart, parseTypeName } from "./declarations.ts";
import { parseExpr, parseIntConstExpr, readStringLiteral } from "./expressions.ts";
import type { Parser } from "./parse.ts";
import { alignOf, type Type } from "./types.ts";

/** gcc's largest alignment (2^28), as for `__attribute__((aligned(N)))`. */
const MAX_ALIGNMENT = 1 << 28;

/**
 * alignment-specifier = "_Alignas" "(" (type-name | const-expr) ")"
 * The alignment requested: a type's, or a power of two; 0 (`_Alignas(0)`) requests none.
 */
export function parseAlignas(p: Parser): number {
  const loc = p.next().loc;
  p.expect("(");
  if (isTypeStart(p, p.tok)) {
    const { type } = parseTypeName(p);
    p.expect(")");
    return alignOf(type);
  }
  const n = parseIntConstExpr(p) ?? 0n;
  p.expect(")");
  if (n < 0n || (n & (n - 1n)) !== 0n) {
    p.error(loc, `requested alignment '${n}' is not a positive power of 2`);
    return 0;
  }
  if (n > BigInt(MAX_ALIGNMENT)) {
    p.error(loc, `requested alignment '${n}' exceeds maximum ${MAX_ALIGNMENT}`);
    return 0;
  }
  return Number(n);
}

/**
 * static-assert = "_Static_assert" "(" const-expr ("," string)? ")" ";"
 * Allowed wherever a declaration is (file scope, blocks, struct members).
 */
export function parseStaticAssert(p: Parser): void {
  const loc = p.next().loc;
  p.expect("(");
  const value = parseIntConstExpr(p);
  let message = "";
  if (p.eat(",")) message = new TextDecoder().decode(readStringLiteral(p));
  p.expect(")");
  p.expect(";");
  if (value === 0n) p.error(loc, `static assertion failed${message ? `: "${message}"` : ""}`);
}

/**
 * typeof-specifier = ("typeof" | "__typeof__" | "__typeof") "(" (type-name | expr) ")"
 * The expression is not evaluated; its type is used as written (arrays do not decay).
 */
export function parseTypeof(p: Parser): { type: Type; isConst: boolean } {
  p.pos++;
  p.expect("(");
  if (isTypeStart(p, p.tok)) {
    const tn = parseTypeName(p);
    p.expect(")");
    return tn;
  }
  p.enter();
  try {
    const start = p.tok.loc;
    const e = parseExpr(p);
    p.expect(")");
    if (isBitField(e)) p.error(start, "'typeof' applied to a bit-field");
    return { type: e.type, isConst: false };
  } finally {
    p.leave();
  }
}
