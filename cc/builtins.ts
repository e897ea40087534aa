// GNU builtins real C code uses. Two groups:
// - parsed here into plain nodes: `__builtin_expect` (its first argument), the NaN/infinity
//   constants, `__builtin_unreachable` (a call to abort: reaching it is a bug, so stop),
//   `__builtin_offsetof` and `__builtin_types_compatible_p` (constants);
// - bit builtins (`popcount`, `clz`, `ctz`, `bswap`) and `alloca`, declared on first use with
//   gcc's prototypes and then lowered as wasm instructions by cc/intrinsics.ts.

import type { Expr } from "./ast.ts";
import type { DeclSpec } from "./declarations.ts";
import { declareFunction, parseTypeName } from "./declarations.ts";
import type { Loc } from "./diagnostics.ts";
import { makeCall, makeCast } from "./expr-nodes.ts";
import { parseAssign, parseIntConstExpr, readStringLiteral } from "./expressions.ts";
import { mkFloat, mkInt } from "./fold.ts";
import type { Parser } from "./parse.ts";
import {
  type ArrayType,
  doubleType,
  type EnumType,
  type FunctionType,
  findMember,
  floatType,
  type IntType,
  intType,
  isRecord,
  longType,
  type PointerType,
  pointerTo,
  sameType,
  scharType,
  sizeOf,
  sizeType,
  type Type,
  typeToString,
  uintType,
  ullongType,
  ulongType,
  ushortType,
  voidType,
} from "./types.ts";

const fn = (ret: Type, param: Type | undefined): FunctionType => ({
  kind: "function",
  ret,
  params: param ? [{ name: undefined, type: param }] : [],
  variadic: false,
});

/** Builtins that are functions with gcc's prototypes (long is 32-bit on i386), compiled to
 *  instructions: the bit builtins and alloca (cc/intrinsics.ts). */
const INTRINSIC_BUILTINS = new Map<string, FunctionType>([
  ["__builtin_alloca", fn(pointerTo(voidType), sizeType)],
  // gcc's built-in alloca, with a warning when it is used undeclared (<alloca.h> and
  // <stdlib.h> define alloca as __builtin_alloca).
  ["alloca", fn(pointerTo(voidType), sizeType)],
  ["__builtin_popcount", fn(intType, uintType)],
  ["__builtin_popcountl", fn(intType, ulongType)],
  ["__builtin_popcountll", fn(intType, ullongType)],
  ["__builtin_clz", fn(intType, uintType)],
  ["__builtin_clzl", fn(intType, ulongType)],
  ["__builtin_clzll", fn(intType, ullongType)],
  ["__builtin_ctz", fn(intType, uintType)],
  ["__builtin_ctzl", fn(intType, ulongType)],
  ["__builtin_ctzll", fn(intType, ullongType)],
  ["__builtin_bswap16", fn(ushortType, ushortType)],
  ["__builtin_bswap32", fn(uintType, uintType)],
  ["__builtin_bswap64", fn(ullongType, ullongType)],
]);

const CONSTANTS = new Map<string, { value: number; type: Type }>([
  ["__builtin_nan", { value: Number.NaN, type: doubleType }],
  ["__builtin_nanf", { value: Number.NaN, type: floatType }],
  ["__builtin_inf", { value: Number.POSITIVE_INFINITY, type: doubleType }],
  ["__builtin_inff", { value: Number.POSITIVE_INFINITY, type: floatType }],
  ["__builtin_huge_val", { value: Number.POSITIVE_INFINITY, type: doubleType }],
  ["__builtin_huge_valf", { value: Number.POSITIVE_INFINITY, type: floatType }],
]);

export function isBuiltin(name: string): boolean {
  return (
    INTRINSIC_BUILTINS.has(name) ||
    CONSTANTS.has(name) ||
    name === "__builtin_expect" ||
    name === "__builtin_offsetof" ||
    name === "__builtin_types_compatible_p" ||
    name === "__builtin_unreachable"
  );
}

const implicitSpec = (loc: Loc): DeclSpec => ({
  type: intType,
  isConst: false,
  storage: undefined,
  inline: false,
  loc,
});

/**
 * builtin = "__builtin_expect" "(" assign "," assign ")"
 *         | ("__builtin_nan" | "__builtin_nanf") "(" string ")"
 *         | ("__builtin_inf" | "__builtin_inff" | "__builtin_huge_val" | "__builtin_huge_valf") "(" ")"
 *         | "__builtin_unreachable" "(" ")"
 *         | "__builtin_offsetof" "(" type-name "," ident ("." ident | "[" const-expr "]")* ")"
 *         | "__builtin_types_compatible_p" "(" type-name "," type-name ")"
 *         | intrinsic-builtin "(" assign ")"            ; bit builtins, alloca
 * The name token has been consumed.
 */
export function parseBuiltin(p: Parser, name: string, loc: Loc): Expr {
  const bits = INTRINSIC_BUILTINS.get(name);
  if (bits) {
    if (name === "alloca") p.warn(loc, "implicit declaration of function 'alloca'");
    const v = declareFunction(p, name, bits, implicitSpec(loc), loc, false);
    v.uses++;
    p.expect("(");
    const arg = parseAssign(p);
    p.expect(")");
    return makeCall(p, { k: "var", v, type: v.type, loc }, [arg], loc);
  }
  p.expect("(");
  const constant = CONSTANTS.get(name);
  if (constant) {
    // gcc parses the string as a NaN payload; only the quiet NaN "" / "0" is supported.
    if (name.startsWith("__builtin_nan")) {
      const tag = readStringLiteral(p);
      if (tag.length > 1 || (tag.length === 1 && tag[0] !== 0x30)) {
        p.warn(loc, `NaN payload ignored in '${name}'`);
      }
    }
    p.expect(")");
    return mkFloat(constant.value, constant.type as typeof doubleType, loc);
  }
  if (name === "__builtin_expect") {
    const e = parseAssign(p);
    p.expect(",");
    const hint = parseAssign(p); // the expected value: evaluated, then only a branch hint
    p.expect(")");
    const value = makeCast(p, e, longType, loc);
    if (hint.k === "int") return value;
    const l = makeCast(p, hint, voidType, loc);
    return { k: "comma", l, r: value, type: value.type, loc };
  }
  if (name === "__builtin_offsetof") return parseOffsetof(p, loc);
  if (name === "__builtin_types_compatible_p") {
    const a = parseTypeName(p).type; // top-level qualifiers are ignored, as gcc does
    p.expect(",");
    const b = parseTypeName(p).type;
    p.expect(")");
    return mkInt(typesCompatible(p, a, b) ? 1n : 0n, intType, loc);
  }
  // __builtin_unreachable
  p.expect(")");
  const abort = declareFunction(p, "abort", fn(voidType, undefined), implicitSpec(loc), loc, false);
  abort.uses++;
  return makeCall(p, { k: "var", v: abort, type: abort.type, loc }, [], loc);
}

/**
 * C11 6.2.7 compatibility as gcc decides it: `int` and `long` differ although both are 32-bit,
 * as do `char` and `signed char`; an enum is compatible with its underlying type (`unsigned
 * int` when no enumerator is negative); qualifiers of pointed-to types count.
 */
function typesCompatible(p: Parser, a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind === "enum" || b.kind === "enum") {
    if (a.kind === "enum" && b.kind === "enum") return a.tag !== undefined && a.tag === b.tag;
    const e = (a.kind === "enum" ? a : b) as EnumType;
    const other = a.kind === "enum" ? b : a;
    return other === (e.unsigned ? uintType : intType);
  }
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "int": {
      const y = b as IntType;
      // signed char is a type of its own; the other integer types are shared objects.
      if ((a === scharType) !== (y === scharType)) return false;
      return a.name === y.name && a.size === y.size && a.signed === y.signed;
    }
    case "pointer": {
      const y = b as PointerType;
      if (p.constPointee.has(a) !== p.constPointee.has(y)) return false;
      return typesCompatible(p, a.to, y.to);
    }
    case "array": {
      const y = b as ArrayType;
      if (a.length !== undefined && y.length !== undefined && a.length !== y.length) return false;
      return typesCompatible(p, a.of, y.of);
    }
    case "function": {
      const y = b as FunctionType;
      if (!typesCompatible(p, a.ret, y.ret)) return false;
      // `int ()` matches any parameter list (C11 6.7.6.3p15 adds promotion rules gcc applies).
      if (p.noPrototype.has(a) || p.noPrototype.has(y)) return true;
      return (
        a.variadic === y.variadic &&
        a.params.length === y.params.length &&
        a.params.every((q, i) => typesCompatible(p, q.type, y.params[i]!.type))
      );
    }
    default:
      return sameType(a, b);
  }
}

/** The byte offset of a member designator, a constant of type size_t. "(" has been read. */
function parseOffsetof(p: Parser, loc: Loc): Expr {
  let type = parseTypeName(p).type;
  p.expect(",");
  let offset = 0;
  let first = true;
  while (!p.eat(")")) {
    if (first || p.eat(".")) {
      const name = p.expectIdent();
      if (!isRecord(type) || !type.complete)
        p.fatal(name.loc, "offsetof of a member of a non-struct");
      const m = findMember(type, name.text);
      if (!m) p.fatal(name.loc, `no member named '${name.text}' in '${typeToString(type)}'`);
      if (m.bits) {
        p.error(name.loc, `attempt to take address of bit-field structure member '${name.text}'`);
      }
      offset += m.offset;
      type = m.type;
    } else {
      const at = p.tok.loc;
      p.expect("[");
      const index = parseIntConstExpr(p) ?? 0n;
      p.expect("]");
      if (type.kind !== "array") p.fatal(at, "subscripted value is not an array");
      type = type.of;
      offset += Number(index) * sizeOf(type);
    }
    first = false;
  }
  return mkInt(BigInt(offset), sizeType, loc);
}
