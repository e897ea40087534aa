// Expressions: parsing with the semantic rules of C applied as each node is built, so every
// node carries its final type and the implicit conversions are explicit (see ast.ts).

import type { BinaryOp, Expr } from "./ast.ts";
import { isBuiltin, parseBuiltin } from "./builtins.ts";
import { checkAssignable, discard, isBitField, toCondition, val } from "./conversions.ts";
import { isTypeStart, parseTypeName } from "./declarations.ts";
import type { Loc } from "./diagnostics.ts";
import {
  addressOf,
  compoundAssign,
  makeAssign,
  makeBinary,
  makeCall,
  makeCast,
  makeConditional,
  makeDeref,
  makeElvis,
  makeIncDec,
  makeUnary,
  memberAccess,
  subscript,
} from "./expr-nodes.ts";
import { mkFloat, mkInt } from "./fold.ts";
import { parseGenericSelection } from "./generic-selection.ts";
import { parseInitializer } from "./initializers.ts";
import { isKeyword } from "./keywords.ts";
import { parseNumber } from "./numbers.ts";
import type { Parser } from "./parse.ts";
import { parseStatementExpr } from "./statement-expr.ts";
import { parseVaBuiltin, VA_BUILTINS } from "./stdarg.ts";
import {
  alignOf,
  intType,
  isInteger,
  isRecord,
  sizeOf,
  sizeType,
  type Type,
  typeToString,
  uintType,
  ushortType,
} from "./types.ts";
import { type LiteralPiece, LiteralRun } from "./wide-strings.ts";

/** Precedence of a binary operator token (0: not one), from its characters, no hashing. */
function binaryPrecedence(s: string): number {
  const c = s.charCodeAt(0);
  if (s.length === 1) {
    switch (c) {
      case 42: // *
      case 47: // /
      case 37: // %
        return 10;
      case 43: // +
      case 45: // -
        return 9;
      case 60: // <
      case 62: // >
        return 7;
      case 38: // &
        return 5;
      case 94: // ^
        return 4;
      case 124: // |
        return 3;
    }
    return 0;
  }
  if (s.length !== 2) return 0;
  const d = s.charCodeAt(1);
  if (d === 61) {
    if (c === 61 || c === 33) return 6; // == !=
    if (c === 60 || c === 62) return 7; // <= >=
    return 0;
  }
  if (c === d) {
    if (c === 124) return 1; // ||
    if (c === 38) return 2; // &&
    if (c === 60 || c === 62) return 8; // << >>
  }
  return 0;
}

/** The operator of a compound assignment token (`+=` -> `+`), if it is one. */
function compoundAssignOp(s: string): BinaryOp | undefined {
  const n = s.length;
  if (n < 2 || s.charCodeAt(n - 1) !== 61) return undefined;
  if (n === 3) return s === "<<=" ? "<<" : s === ">>=" ? ">>" : undefined;
  if (n !== 2) return undefined;
  switch (s.charCodeAt(0)) {
    case 43:
      return "+";
    case 45:
      return "-";
    case 42:
      return "*";
    case 47:
      return "/";
    case 37:
      return "%";
    case 38:
      return "&";
    case 124:
      return "|";
    case 94:
      return "^";
  }
  return undefined;
}

export const show = (t: Type) => typeToString(t);

// ---- entry points ----

// Nothing here counts nesting: chains at one precedence level are loops, and what recurses
// (parentheses aside, which are a loop too) is bounded by the JS stack (stack-guard.ts).

/** expression: assignment-expression (',' assignment-expression)*
 *  `first`, when given, is the already parsed primary expression the expression starts with. */
export function parseExpr(p: Parser, first?: Expr): Expr {
  let e = parseAssign(p, first);
  while (p.at(",")) {
    const loc = p.next().loc;
    const r = val(p, parseAssign(p));
    e = { k: "comma", l: discard(p, e), r, type: r.type, loc };
  }
  return e;
}

/** assignment-expression: conditional-expression | unary-expression assignment-operator
 *  assignment-expression */
export function parseAssign(p: Parser, first?: Expr): Expr {
  const lhs = parseConditional(p, first);
  const t = p.tok;
  if (t.kind !== "punct") return lhs;
  if (t.text === "=") {
    p.pos++;
    return makeAssign(p, lhs, parseAssign(p), t.loc);
  }
  const op = compoundAssignOp(t.text);
  if (op === undefined) return lhs;
  p.pos++;
  const rhs = parseAssign(p);
  if (!checkAssignable(p, lhs, t.loc, "assignment")) return lhs;
  return compoundAssign(p, op, lhs, rhs, t.loc);
}

/** A constant-expression (C99 6.6): a conditional expression, folded. */
export function parseConstantExpr(p: Parser): Expr {
  p.iceDepth++;
  try {
    return parseConditional(p);
  } finally {
    p.iceDepth--;
  }
}

/** An integer constant expression; reports an error and yields undefined when it is not. */
export function parseIntConstExpr(p: Parser, loc: Loc = p.tok.loc): bigint | undefined {
  const errors = p.diags.errorCount;
  const e = parseConstantExpr(p);
  if (e.k === "int" && isInteger(e.type)) return e.value;
  if (p.diags.errorCount === errors) {
    p.error(loc, "expression is not an integer constant expression");
  }
  return undefined;
}

// ---- the grammar ----

/**
 * conditional-expression: logical-or-expression ('?' expression? ':' conditional-expression)?
 * The omitted middle operand is GNU's `x ?: y`: x's value when it is non-zero, x evaluated once.
 */
function parseConditional(p: Parser, first?: Expr): Expr {
  const c = parseBinary(p, 1, first);
  if (!p.at("?")) return c;
  const loc = p.next().loc;
  if (p.eat(":")) return makeElvis(p, c, parseConditional(p), loc);
  const cond = toCondition(p, c);
  const t = parseExpr(p);
  p.expect(":");
  const f = parseConditional(p);
  return makeConditional(p, cond, t, f, loc);
}

/** The binary operators by precedence climbing: operators of one level chain in the loop, a
 *  higher-precedence right operand recurses (at most once per precedence level). */
function parseBinary(p: Parser, minPrec: number, first?: Expr): Expr {
  let l = first ?? parseCast(p);
  for (;;) {
    const t = p.tok;
    if (t.kind !== "punct") return l;
    const prec = binaryPrecedence(t.text);
    if (prec === 0 || prec < minPrec) return l;
    p.pos++;
    const r = parseBinary(p, prec + 1);
    l = makeBinary(p, t.text, l, r, t.loc);
  }
}

/** cast-expression: unary-expression | '(' type-name ')' cast-expression */
function parseCast(p: Parser): Expr {
  const t = p.tok;
  if (t.kind === "punct" && t.text === "(" && isTypeStart(p, p.peekAt(1))) {
    p.pos++;
    const tn = parseTypeName(p);
    p.expect(")");
    if (p.at("{")) return parsePostfixOps(p, parseCompoundLiteral(p, tn.type, tn.isConst, t.loc));
    return makeCast(p, parseCast(p), tn.type, t.loc);
  }
  return parseUnary(p);
}

function parseCompoundLiteral(p: Parser, type: Type, isConstType: boolean, loc: Loc): Expr {
  if (type.kind === "function" || type.kind === "void") {
    p.fatal(loc, "compound literal has invalid type");
  }
  if (!p.fn) {
    const v = p.newInternalGlobal(".compound", type, loc);
    const { init, type: complete } = parseInitializer(p, type, true);
    v.type = complete;
    v.init = init;
    v.uses++;
    if (isConstType) p.constVars.add(v);
    p.chargeStatic(v);
    return { k: "var", v, type: complete, loc };
  }
  const v = p.newLocal(".compound", type, loc);
  v.name = `.compound${v.id}`;
  const { init, type: complete } = parseInitializer(p, type, false);
  v.type = complete;
  v.uses++;
  if (isConstType) p.constVars.add(v);
  return { k: "compound", v, init, type: complete, loc };
}

function parseUnary(p: Parser): Expr {
  const t = p.tok;
  const loc = t.loc;
  if (t.kind === "punct") {
    switch (t.text) {
      case "&":
        p.pos++;
        return addressOf(p, parseCast(p), loc);
      case "*":
        p.pos++;
        return makeDeref(p, parseCast(p), loc);
      case "-":
      case "+":
      case "~":
      case "!":
        p.pos++;
        return makeUnary(p, t.text, parseCast(p), loc);
      case "++":
      case "--":
        p.pos++;
        return makeIncDec(p, t.text === "++" ? "+" : "-", parseCast(p), true, loc);
    }
  } else if (t.kind === "ident") {
    switch (t.text) {
      case "sizeof":
      case "_Alignof":
      case "__alignof__": {
        p.pos++;
        const operandLoc = p.at("(") ? p.peekAt(1).loc : p.tok.loc;
        const operand = parseSizeofOperand(p, t.text === "sizeof" ? "sizeof" : "__alignof", t.loc);
        const type = operand.type;
        const isSize = t.text === "sizeof";
        if (type.kind === "function") {
          p.error(operandLoc, `invalid application of '${t.text}' to a function type`);
        } else if (
          (isRecord(type) && !type.complete) ||
          (type.kind === "array" && type.length === undefined)
        ) {
          p.error(
            operandLoc,
            `invalid application of '${t.text}' to incomplete type '${show(type)}'`,
          );
        }
        const align = Math.max(alignOf(type), operand.align ?? 1);
        return mkInt(BigInt(isSize ? sizeOf(type) : align), sizeType, loc);
      }
      case "__extension__":
        p.pos++;
        return parseCast(p);
      case "_Generic":
        p.pos++;
        return parsePostfixOps(p, parseGenericSelection(p, loc));
    }
  }
  return parsePostfixOps(p, parsePrimary(p));
}

/**
 * The type measured by sizeof/_Alignof: `(type-name)` or a unary expression (not evaluated);
 * `align` when the expression names a variable declared with `_Alignas`.
 */
function parseSizeofOperand(p: Parser, what: string, keyword: Loc): { type: Type; align?: number } {
  if (p.at("(") && isTypeStart(p, p.peekAt(1))) {
    const lparen = p.next();
    const tn = parseTypeName(p);
    p.expect(")");
    if (!p.at("{")) return tn;
    return parsePostfixOps(p, parseCompoundLiteral(p, tn.type, tn.isConst, lparen.loc));
  }
  const start = p.tok.loc;
  const e = parseUnary(p);
  // gcc points at sizeof's operand, at __alignof itself.
  if (isBitField(e))
    p.error(what === "sizeof" ? start : keyword, `'${what}' applied to a bit-field`);
  return e.k === "var" && e.v.align ? { type: e.type, align: e.v.align } : e;
}

function parsePostfixOps(p: Parser, e: Expr): Expr {
  for (;;) {
    const t = p.tok;
    if (t.kind !== "punct") return e;
    switch (t.text) {
      case "[": {
        p.pos++;
        const i = parseExpr(p);
        p.expect("]");
        e = subscript(p, e, i, t.loc);
        break;
      }
      case "(": {
        p.pos++;
        const args: Expr[] = [];
        if (!p.at(")")) {
          do args.push(parseAssign(p));
          while (p.eat(","));
        }
        p.expect(")");
        e = makeCall(p, e, args, t.loc);
        break;
      }
      case ".":
        p.pos++;
        e = memberAccess(p, e, t.loc);
        break;
      case "->": {
        p.pos++;
        const ptr = val(p, e);
        if (ptr.type.kind !== "pointer" || !isRecord(ptr.type.to)) {
          p.fatal(t.loc, `invalid type argument of '->' (have '${show(ptr.type)}')`);
        }
        e = memberAccess(p, { k: "deref", ptr, type: ptr.type.to, loc: t.loc }, t.loc);
        break;
      }
      case "++":
      case "--":
        p.pos++;
        e = makeIncDec(p, t.text === "++" ? "+" : "-", e, false, t.loc);
        break;
      default:
        return e;
    }
  }
}

/**
 * An initializer element that is a lone number, signed or not, followed by `,` or `}`: the
 * node parseAssign would make, without descending through every precedence level (a table of
 * 200,000 numbers is mostly this). undefined, nothing consumed, for any other element.
 */
export function parseNumberElement(p: Parser): Expr | undefined {
  const t = p.tok;
  const signed = t.kind === "punct" && (t.text === "-" || t.text === "+");
  if (!signed && t.kind !== "num") return undefined;
  if (signed && p.peekAt(1).kind !== "num") return undefined;
  const after = p.peekAt(signed ? 2 : 1);
  if (after.kind !== "punct" || (after.text !== "," && after.text !== "}")) return undefined;
  if (!signed) return parsePrimary(p);
  p.pos++;
  return makeUnary(p, t.text, parsePrimary(p), t.loc);
}

/** The constant a "num" token spells (an error, reported, gives int 0). */
export function numberConstant(p: Parser, text: string, loc: Loc): Expr {
  const n = parseNumber(text);
  if (n.kind === "error") {
    p.error(loc, n.message);
    return mkInt(0n, intType, loc);
  }
  if (n.kind === "float") return mkFloat(n.value, n.type, loc);
  return { k: "int", value: n.value, type: n.type, loc };
}

/** A character constant of value `value` spelled `text`. */
export function charConstant(text: string, value: number, loc: Loc): Expr {
  // 'x' and L'x' are int (wchar_t is int on i386); u'x' is char16_t, U'x' char32_t.
  const type = text[0] === "u" ? ushortType : text[0] === "U" ? uintType : intType;
  return mkInt(BigInt(value), type, loc);
}

function parsePrimary(p: Parser): Expr {
  const t = p.tok;
  const loc = t.loc;
  switch (t.kind) {
    case "num":
      p.pos++;
      return numberConstant(p, t.text, loc);
    case "char":
      p.pos++;
      return charConstant(t.text, t.value ?? 0, loc);
    case "str": {
      const v = p.stringLiteral(readLiteral(p), loc);
      v.uses++;
      return { k: "var", v, type: v.type, loc };
    }
    case "punct":
      if (t.text === "(") return parseParenthesized(p);
      break;
    case "ident":
      return parseIdentifier(p);
    case "eof":
      break;
  }
  p.fatal(loc, `expected expression ${p.describeHere()}`);
}

/**
 * primary-expression: '(' expression ')' | '(' compound-statement ')' (GNU)
 *
 * Nested parentheses are a loop, not a recursion: the opening ones are counted, the innermost
 * expression parsed, then each level's expression continues from its parenthesized start, so
 * `((((a))))` costs no stack however deep (gcc itself crashes near 100,000).
 */
function parseParenthesized(p: Parser): Expr {
  const loc = p.next().loc;
  if (p.at("{")) return parseStatementExpr(p, loc);
  let inner = 0;
  while (p.at("(") && p.peekAt(1).text !== "{" && !isTypeStart(p, p.peekAt(1))) {
    p.pos++;
    inner++;
  }
  let e = parseExpr(p);
  for (; inner > 0; inner--) {
    p.expect(")");
    e = parseExpr(p, parsePostfixOps(p, e));
  }
  p.expect(")");
  return e;
}

/** Adjacent string literals concatenated (the preprocessor usually did it already). */
export function readLiteral(p: Parser): LiteralPiece {
  const first = p.next();
  const bytes = first.bytes ?? new Uint8Array(0);
  let piece: LiteralPiece = { bytes, prefix: first.value, spelling: first.text };
  if (p.tok.kind === "str") {
    const run = new LiteralRun(piece);
    while (p.tok.kind === "str") {
      const t = p.next();
      const bytes = t.bytes ?? new Uint8Array(0);
      const problem = run.append({ bytes, prefix: t.value, spelling: t.text });
      if (problem !== undefined) p.error(t.loc, problem);
      if (run.byteLength > p.limits.maxStringBytes) break;
    }
    piece = run.piece();
  }
  if (piece.bytes.length > p.limits.maxStringBytes) {
    p.fatal(first.loc, `string literal is too long (limit ${p.limits.maxStringBytes} bytes)`);
  }
  return piece;
}

/** A narrow string literal's bytes (attribute arguments, messages); wide ones are refused. */
export function readStringLiteral(p: Parser): Uint8Array {
  const loc = p.tok.loc;
  const piece = readLiteral(p);
  if (piece.prefix !== undefined) p.error(loc, "expected a narrow string literal, not a wide one");
  return piece.bytes;
}

function parseIdentifier(p: Parser): Expr {
  const t = p.next();
  const loc = t.loc;
  const name = t.text;
  const entry = p.lookup(name);
  if (entry === undefined) {
    if (isKeyword(name)) p.fatal(loc, `expected expression before '${name}'`);
    if (name === "__func__" || name === "__FUNCTION__") {
      const fname = new TextEncoder().encode(p.fn?.name ?? "");
      const v = p.stringLiteral({ bytes: fname, prefix: undefined }, loc);
      v.uses++;
      return { k: "var", v, type: v.type, loc };
    }
    if (name === "true" || name === "false") return mkInt(name === "true" ? 1n : 0n, intType, loc);
    if (VA_BUILTINS.has(name)) return parseVaBuiltin(p, name, loc);
    if (isBuiltin(name)) return parseBuiltin(p, name, loc);
    if (p.at("(")) {
      p.error(loc, `implicit declaration of function '${name}'`);
      skipArguments(p);
      return mkInt(0n, intType, loc);
    }
    // Reported once per function; later uses see an `int` stand-in, which avoids cascades.
    const seen = p.fn?.undeclared;
    let stand = seen?.get(name);
    if (!stand) {
      p.error(loc, `use of undeclared identifier '${name}'`);
      stand = p.newVar(name, intType, "local", "none", loc);
      seen?.set(name, stand);
    }
    return { k: "var", v: stand, type: intType, loc };
  }
  if (entry.k === "enum") return mkInt(entry.value, intType, loc);
  if (entry.k === "typedef") p.fatal(loc, `unexpected type name '${name}': expected expression`);
  const v = entry.v;
  v.uses++;
  return { k: "var", v, type: v.type, loc };
}

/** Skips a parenthesized argument list after an error about its callee. */
function skipArguments(p: Parser): void {
  let depth = 0;
  for (;;) {
    const t = p.tok;
    if (t.kind === "eof") return;
    if (t.kind === "punct") {
      if (t.text === "(") depth++;
      else if (t.text === ")" && --depth === 0) {
        p.pos++;
        return;
      } else if ((t.text === ";" || t.text === "{" || t.text === "}") && depth > 0) return;
    }
    p.pos++;
  }
}
