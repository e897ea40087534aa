// C11 `_Generic`: chosen while parsing, by the controlling expression's type after lvalue
// conversion (arrays and functions decay). The controlling expression is not evaluated.

import type { Expr } from "./ast.ts";
import { val } from "./conversions.ts";
import { parseTypeName } from "./declarations.ts";
import type { Loc } from "./diagnostics.ts";
import { parseAssign } from "./expressions.ts";
import type { Parser } from "./parse.ts";
import { sameType, scharType, typeToString } from "./types.ts";

/**
 * generic-selection = "_Generic" "(" assign ("," generic-assoc)+ ")"
 * generic-assoc     = (type-name | "default") ":" assign
 * The `_Generic` token has been consumed. Limit: `T` and `const T`, `char` and `signed char`
 * select alike.
 */
export function parseGenericSelection(p: Parser, loc: Loc): Expr {
  p.expect("(");
  const control = val(p, parseAssign(p)).type;
  let chosen: Expr | undefined;
  let fallback: Expr | undefined;
  while (p.eat(",")) {
    if (p.tok.kind === "ident" && p.tok.text === "default") {
      p.pos++;
      p.expect(":");
      if (fallback) p.error(p.tok.loc, "duplicate default generic association");
      fallback = parseAssign(p);
      continue;
    }
    const { type } = parseTypeName(p);
    p.expect(":");
    const e = parseAssign(p);
    // kplug's types do not carry qualifiers, so two associations can look alike here; the
    // first one wins. `signed char` is its own type object, told apart from `char`.
    const sameChar = (type === scharType) === (control === scharType);
    if (!chosen && sameChar && sameType(type, control)) chosen = e;
  }
  p.expect(")");
  const result = chosen ?? fallback;
  if (!result)
    p.fatal(
      loc,
      `'_Generic' selector of type '${typeToString(control)}' is not compatible with any association`,
    );
  return result;
}
