// <stdarg.h>: va_start, va_arg, va_copy and va_end, desugared to pointer arithmetic on the
// variadic area (no new AST node, so every later pass already knows them).
//
// ABI (cc/module.ts): a variadic function's hidden last parameter points to its variadic
// arguments, stored by the caller in order after the default argument promotions (char/short to
// int, float to double). Each takes a slot of its size rounded up to 4 bytes, at an address
// aligned to 8 for long long, double and records aligned to 8 (-malign-double), else to 4. The
// host's printf family (kernel/printf.ts) reads the same layout. `va_list` is `char *` (as on
// i386): a cursor into that area.

import type { Expr } from "./ast.ts";
import { castTo, checkAssignable, convertAssign, stableLvalue, val } from "./conversions.ts";
import { parseTypeName } from "./declarations.ts";
import type { Loc } from "./diagnostics.ts";
import { makeBinary, makeCast, makeDeref } from "./expr-nodes.ts";
import { parseAssign } from "./expressions.ts";
import { mkInt } from "./fold.ts";
import type { Parser } from "./parse.ts";
import {
  alignOf,
  alignTo,
  charType,
  doubleType,
  intType,
  isInteger,
  isRecord,
  pointerTo,
  promote,
  sameType,
  sizeOf,
  type Type,
  typeToString,
  uintType,
  voidType,
} from "./types.ts";

/** The builtins <stdarg.h> maps va_start, va_arg, va_copy and va_end to. */
export const VA_BUILTINS: ReadonlySet<string> = new Set([
  "__builtin_va_start",
  "__builtin_va_arg",
  "__builtin_va_copy",
  "__builtin_va_end",
]);

const vaListType = pointerTo(charType);

/** The alignment of a variadic argument's slot (the caller's layout in lower-call.ts). */
export function variadicSlotAlign(t: Type): 4 | 8 {
  return sizeOf(t) === 8 && !isRecord(t) ? 8 : isRecord(t) && alignOf(t) >= 8 ? 8 : 4;
}

/** The bytes of a variadic argument's slot. */
export function variadicSlotSize(t: Type): number {
  return alignTo(sizeOf(t), 4);
}

/**
 * va-builtin = "__builtin_va_start" "(" assign "," assign ")"
 *            | "__builtin_va_arg" "(" assign "," type-name ")"
 *            | "__builtin_va_copy" "(" assign "," assign ")"
 *            | "__builtin_va_end" "(" assign ")"
 * The name has been read.
 */
export function parseVaBuiltin(p: Parser, name: string, loc: Loc): Expr {
  p.expect("(");
  const ap = parseAssign(p);
  let e: Expr;
  switch (name) {
    case "__builtin_va_start": {
      p.expect(",");
      parseAssign(p); // the last named parameter: only its position matters in C
      e = vaStart(p, ap, loc);
      break;
    }
    case "__builtin_va_arg": {
      p.expect(",");
      const { type } = parseTypeName(p);
      e = vaArg(p, ap, type, loc);
      break;
    }
    case "__builtin_va_copy": {
      p.expect(",");
      const src = val(p, parseAssign(p));
      e = castTo(assignTo(p, ap, convertAssign(p, src, vaListType, "assigning to"), loc), voidType);
      break;
    }
    default:
      checkVaList(p, ap);
      e = makeCast(p, ap, voidType, loc);
  }
  p.expect(")");
  return e;
}

function checkVaList(p: Parser, ap: Expr): void {
  if (!sameType(ap.type, vaListType)) {
    p.error(ap.loc, `first argument to 'va_arg' not of type 'va_list'`);
  }
}

/** `ap = value` as a store that leaves `ap`'s use count alone (it is read later). */
function assignTo(p: Parser, ap: Expr, value: Expr, loc: Loc): Expr {
  checkVaList(p, ap);
  checkAssignable(p, ap, loc, "assignment");
  return { k: "assign", lv: ap, value, type: ap.type, loc };
}

function vaStart(p: Parser, ap: Expr, loc: Loc): Expr {
  const area = p.fn?.vaArea;
  if (!area) {
    p.error(loc, "'va_start' used in function with fixed arguments");
    return mkInt(0n, intType, loc);
  }
  area.uses++;
  const value: Expr = { k: "var", v: area, type: area.type, loc };
  return castTo(assignTo(p, ap, value, loc), voidType);
}

/** `*(T *)((ap += slot) - slot)`, with `ap` first aligned up to 8 for 8-aligned slots. */
function vaArg(p: Parser, ap: Expr, type: Type, loc: Loc): Expr {
  checkVaList(p, ap);
  if (type.kind === "void" || type.kind === "function" || type.kind === "array") {
    p.error(loc, `invalid type '${typeToString(type)}' for 'va_arg'`);
    return mkInt(0n, intType, loc);
  }
  if (isRecord(type) && !type.complete) {
    p.error(loc, `invalid use of incomplete type '${typeToString(type)}'`);
    return mkInt(0n, intType, loc);
  }
  const promoted = type.kind === "float" ? doubleType : isInteger(type) ? promote(type) : type;
  if (promoted !== type && !sameType(promoted, type)) {
    // gcc compiles this to a trap ("if this code is reached, the program will abort").
    p.error(
      loc,
      `'${typeToString(type)}' is promoted to '${typeToString(promoted)}' when passed through '...'`,
    );
  }
  const stable = stableLvalue(p, ap, loc);
  const lv = stable.lv;
  const slot = variadicSlotSize(type);
  const steps: Expr[] = [];
  if (stable.setup) steps.push(stable.setup);
  if (variadicSlotAlign(type) === 8) {
    const raised = makeBinary(p, "+", castTo(lv, uintType), mkInt(7n, uintType, loc), loc);
    const masked = makeBinary(p, "&", raised, mkInt(0xfffffff8n, uintType, loc), loc);
    steps.push({ k: "assign", lv, value: castTo(masked, vaListType), type: vaListType, loc });
  }
  const bumped: Expr = {
    k: "assign",
    lv,
    value: makeBinary(p, "+", lv, mkInt(BigInt(slot), intType, loc), loc),
    type: vaListType,
    loc,
  };
  const start = makeBinary(p, "-", bumped, mkInt(BigInt(slot), intType, loc), loc);
  const read = makeDeref(p, makeCast(p, start, pointerTo(type), loc), loc);
  let e = val(p, read);
  for (let i = steps.length - 1; i >= 0; i--) {
    e = { k: "comma", l: steps[i]!, r: e, type: e.type, loc };
  }
  if (lv.k === "var") lv.v.uses += 2;
  return e;
}
