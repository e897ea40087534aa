// Statements and blocks: the control statements with their checks (break/continue placement,
// case labels in switches, returns against the function's type) and block scopes.

import type { Block, CaseLabel, Expr, Stmt } from "./ast.ts";
import { convertAssign, discard, toCondition } from "./conversions.ts";
import { isTypeStart, parseLocalDeclaration } from "./declarations.ts";
import { CompileAbort } from "./diagnostics.ts";
import { parseExpr, parseIntConstExpr } from "./expressions.ts";
import { wrapInt } from "./fold.ts";
import { isKeyword } from "./keywords.ts";
import type { FunctionState, Parser, SwitchState } from "./parse.ts";
import { intType, promote } from "./types.ts";

/** Parses `{ ... }` (the current token is `{`) in a new scope. */
export function parseCompound(p: Parser): Block {
  const loc = p.expect("{").loc;
  p.pushScope();
  try {
    return { k: "block", loc, body: parseBlockItems(p) };
  } finally {
    p.popScope();
  }
}

/** Block items up to and including the closing `}`, with error recovery per item. */
export function parseBlockItems(p: Parser): Stmt[] {
  const body: Stmt[] = [];
  const depth = p.depth;
  for (;;) {
    p.releaseTokens();
    const t = p.tok;
    if (t.kind === "punct" && t.text === "}") {
      p.pos++;
      return body;
    }
    if (t.kind === "eof") {
      if (p.stopped) return body;
      p.stopped = true; // once is enough for every block left open
      p.fatal(t.loc, "expected '}' at end of input");
    }
    try {
      if (startsDeclaration(p)) {
        for (const s of parseLocalDeclaration(p)) body.push(s);
      } else {
        body.push(parseStatement(p));
      }
    } catch (e) {
      if (!(e instanceof CompileAbort)) throw e;
      p.depth = depth;
      p.sync();
    }
  }
}

/** A declaration starts here (not a label `T:` or an expression). */
export function startsDeclaration(p: Parser): boolean {
  const t = p.tok;
  if (t.kind !== "ident") return false;
  const next = p.peekAt(1);
  if (next.text === ":" && !isKeyword(t.text)) return false;
  if (isTypeStart(p, t) || t.text === "_Static_assert") return true;
  // `foo x;` with `foo` unknown: report it as an unknown type name, not an expression.
  return next.kind === "ident" && !isKeyword(t.text) && p.lookup(t.text) === undefined;
}

/** A statement that is the body of a control statement. */
export function parseSubStatement(p: Parser): Stmt {
  return p.at("{") ? parseCompound(p) : parseStatement(p);
}

export function parseStatement(p: Parser): Stmt {
  p.enter();
  try {
    return parseStatementInner(p);
  } finally {
    p.leave();
  }
}

export function parseStatementInner(p: Parser): Stmt {
  const t = p.tok;
  const loc = t.loc;
  const fn = p.fn!;
  if (t.kind === "punct") {
    if (t.text === "{") return parseCompound(p);
    if (t.text === ";") {
      p.pos++;
      return { k: "block", loc, body: [] };
    }
  } else if (t.kind === "ident") {
    if (p.peekAt(1).text === ":" && !isKeyword(t.text)) return parseLabel(p);
    switch (t.text) {
      case "if": {
        p.pos++;
        const cond = parseCondition(p);
        const then = parseSubStatement(p);
        const els = p.eat("else") ? parseSubStatement(p) : undefined;
        return els ? { k: "if", loc, cond, then, else: els } : { k: "if", loc, cond, then };
      }
      case "while": {
        p.pos++;
        const cond = parseCondition(p);
        const body = parseLoopBody(p);
        return { k: "while", loc, cond, body };
      }
      case "do": {
        p.pos++;
        const body = parseLoopBody(p);
        p.expect("while");
        const cond = parseCondition(p);
        p.expect(";");
        return { k: "do", loc, body, cond };
      }
      case "for":
        return parseFor(p);
      case "switch":
        return parseSwitch(p);
      case "case":
      case "default":
        return parseCase(p);
      case "return":
        return parseReturn(p);
      case "break":
        p.pos++;
        if (fn.breakables === 0)
          p.error(loc, leaving(fn, "break statement not within loop or switch"));
        p.expect(";");
        return { k: "break", loc };
      case "continue":
        p.pos++;
        if (fn.loops === 0) p.error(loc, leaving(fn, "continue statement not within a loop"));
        p.expect(";");
        return { k: "continue", loc };
      case "goto": {
        p.pos++;
        const name = p.expectIdent();
        p.expect(";");
        if (fn.stmtExprs > 0) p.error(loc, "'goto' inside a statement expression is not supported");
        fn.gotos.push({ label: name.text, loc });
        return { k: "goto", loc, label: name.text };
      }
      case "else":
        p.fatal(loc, "expected expression before 'else'");
    }
    if (startsDeclaration(p)) {
      p.fatal(loc, "a declaration is not allowed here; wrap it in braces");
    }
  }
  const expr = discard(p, parseExpr(p));
  p.expect(";");
  return { k: "expr", loc, expr };
}

/** The message for a jump or label outside its statement, naming a statement expression in
 *  between (whose boundary no jump may cross: see statement-expr.ts). */
function leaving(fn: FunctionState, message: string): string {
  return fn.stmtExprs > 0
    ? `${message} (jumps out of a statement expression are not supported)`
    : message;
}

export function parseLabel(p: Parser): Stmt {
  const fn = p.fn!;
  const name = p.next();
  p.pos++; // ':'
  if (fn.stmtExprs > 0) {
    p.error(name.loc, "labels inside a statement expression are not supported");
  }
  const prev = fn.labels.get(name.text);
  if (prev) p.error(name.loc, `redefinition of label '${name.text}'`);
  else fn.labels.set(name.text, { loc: name.loc });
  const body: Stmt = p.at("}")
    ? { k: "block", loc: p.tok.loc, body: [] } // a label at the end of a block
    : parseStatement(p);
  return { k: "label", loc: name.loc, name: name.text, body };
}

export function parseCondition(p: Parser): Expr {
  p.expect("(");
  const e = toCondition(p, parseExpr(p));
  p.expect(")");
  return e;
}

export function parseLoopBody(p: Parser): Stmt {
  const fn = p.fn!;
  fn.loops++;
  fn.breakables++;
  try {
    return parseSubStatement(p);
  } finally {
    fn.loops--;
    fn.breakables--;
  }
}

export function parseFor(p: Parser): Stmt {
  const loc = p.next().loc;
  p.expect("(");
  p.pushScope();
  try {
    let init: Stmt | undefined;
    if (p.eat(";")) {
      init = undefined;
    } else if (startsDeclaration(p)) {
      const decls = parseLocalDeclaration(p);
      init = decls.length === 1 ? decls[0] : { k: "block", loc, body: decls };
    } else {
      const e = discard(p, parseExpr(p));
      p.expect(";");
      init = { k: "expr", loc: e.loc, expr: e };
    }
    const cond = p.at(";") ? undefined : toCondition(p, parseExpr(p));
    p.expect(";");
    const step = p.at(")") ? undefined : discard(p, parseExpr(p));
    p.expect(")");
    const body = parseLoopBody(p);
    const s: Stmt = { k: "for", loc, body };
    if (init) s.init = init;
    if (cond) s.cond = cond;
    if (step) s.step = step;
    return s;
  } finally {
    p.popScope();
  }
}

export function parseSwitch(p: Parser): Stmt {
  const loc = p.next().loc;
  const fn = p.fn!;
  p.expect("(");
  let cond = parseExpr(p);
  const condLoc = cond.loc;
  cond = toCondition(p, cond);
  if (cond.type.kind !== "int" && cond.type.kind !== "enum") {
    p.error(condLoc, "switch quantity not an integer");
    cond = { k: "int", value: 0n, type: intType, loc: condLoc };
  }
  const condType = promote(cond.type);
  cond = convertAssign(p, cond, condType, "switch", true);
  p.expect(")");
  const state: SwitchState = { condType, cases: [], seen: new Set(), hasDefault: false };
  const outer = fn.switchState;
  fn.switchState = state;
  fn.breakables++;
  try {
    let body: Stmt;
    if (p.at("{")) {
      body = parseCompound(p);
    } else {
      body = { k: "block", loc: p.tok.loc, body: [parseStatement(p)] };
    }
    return {
      k: "switch",
      loc,
      cond,
      body,
      cases: state.cases,
      hasDefault: state.hasDefault,
    };
  } finally {
    fn.switchState = outer;
    fn.breakables--;
  }
}

export function parseCase(p: Parser): CaseLabel {
  const t = p.next();
  const fn = p.fn!;
  const state = fn.switchState;
  let value: bigint | undefined;
  if (t.text === "case") {
    const v = parseIntConstExpr(p, t.loc);
    p.expect(":");
    if (state && v !== undefined) {
      value = wrapInt(v, state.condType);
      if (state.seen.has(value)) p.error(t.loc, "duplicate case value");
      else {
        state.seen.add(value);
        state.cases.push(value);
      }
    }
  } else {
    p.expect(":");
    if (state) {
      if (state.hasDefault) p.error(t.loc, "multiple default labels in one switch");
      state.hasDefault = true;
    }
  }
  if (!state) p.error(t.loc, leaving(fn, `'${t.text}' label not within a switch statement`));
  const body: Stmt = p.at("}") ? { k: "block", loc: p.tok.loc, body: [] } : parseStatement(p);
  return { k: "case", loc: t.loc, value, body };
}

export function parseReturn(p: Parser): Stmt {
  const loc = p.next().loc;
  const fn = p.fn!;
  const ret = fn.type.ret;
  if (p.eat(";")) {
    if (ret.kind !== "void") {
      p.error(loc, `non-void function '${fn.name}' should return a value`);
    }
    return { k: "return", loc };
  }
  const valueLoc = p.tok.loc;
  let value = parseExpr(p);
  p.expect(";");
  if (ret.kind === "void") {
    if (value.type.kind !== "void") {
      p.error(valueLoc, `void function '${fn.name}' should not return a value`);
    }
    return { k: "expr", loc, expr: discard(p, value) };
  }
  value = convertAssign(p, value, ret, "returning");
  return { k: "return", loc, value };
}
