// GNU statement expressions `({ ... })`: a block whose last expression statement is the value.

import type { Expr, Stmt } from "./ast.ts";
import { discard, val } from "./conversions.ts";
import { parseLocalDeclaration } from "./declarations.ts";
import type { Loc } from "./diagnostics.ts";
import { parseExpr } from "./expressions.ts";
import { isKeyword } from "./keywords.ts";
import type { Parser } from "./parse.ts";
import { parseStatement, startsDeclaration } from "./statements.ts";
import { voidType } from "./types.ts";

/**
 * statement-expression: '(' '{' block-item* '}' ')'   (the current token is `{`)
 *
 * The value is the last block item when it is an expression statement (arrays and functions
 * decay, as gcc does), else the expression is void. A `break`/`continue` or `case` inside
 * that would leave it, and any label or `goto` in it, are refused: the lowering emits the body
 * in the middle of an expression, where only structured jumps that stay inside (and `return`)
 * are sound.
 */
export function parseStatementExpr(p: Parser, loc: Loc): Expr {
  const fn = p.fn;
  if (!fn) p.fatal(loc, "statement expressions are allowed only inside a function");
  p.expect("{");
  const saved = { loops: fn.loops, breakables: fn.breakables, switchState: fn.switchState };
  fn.loops = 0;
  fn.breakables = 0;
  fn.switchState = undefined;
  fn.stmtExprs++;
  p.pushScope();
  try {
    const body: Stmt[] = [];
    let value: Expr | undefined;
    while (!p.eat("}")) {
      if (p.tok.kind === "eof") p.fatal(p.tok.loc, "expected '}' at end of input");
      if (value) {
        body.push({ k: "expr", loc: value.loc, expr: discard(p, value) });
        value = undefined;
      }
      if (startsDeclaration(p)) {
        for (const s of parseLocalDeclaration(p)) body.push(s);
      } else if (startsExpressionStatement(p)) {
        value = parseExpr(p);
        p.expect(";");
      } else {
        body.push(parseStatement(p));
      }
    }
    p.expect(")");
    if (!value) return { k: "stmtexpr", body, type: voidType, loc };
    value = val(p, value);
    return { k: "stmtexpr", body, value, type: value.type, loc };
  } finally {
    p.popScope();
    fn.stmtExprs--;
    fn.loops = saved.loops;
    fn.breakables = saved.breakables;
    fn.switchState = saved.switchState;
  }
}

/** The next block item is an expression statement (not a label, keyword statement or block). */
function startsExpressionStatement(p: Parser): boolean {
  const t = p.tok;
  if (t.kind === "punct") return t.text !== "{" && t.text !== ";";
  if (t.kind !== "ident") return true;
  if (p.peekAt(1).text === ":" && !isKeyword(t.text)) return false;
  return !STATEMENT_KEYWORDS.has(t.text);
}

const STATEMENT_KEYWORDS = new Set([
  "if",
  "while",
  "do",
  "for",
  "switch",
  "case",
  "default",
  "return",
  "break",
  "continue",
  "goto",
  "else",
]);
