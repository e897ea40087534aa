// Declarations: declaration specifiers, declarators (the full C syntax, function pointers
// included; struct/union/enum definitions are in cc/records.ts), and the binding of names at file and block scope.

import type { Stmt, Var } from "./ast.ts";
import { parseAttribute } from "./attributes.ts";
import type { Loc } from "./diagnostics.ts";
import { parseConstantExpr } from "./expressions.ts";
import { parseAlignas, parseStaticAssert, parseTypeof } from "./extensions.ts";
import { parseInitializer } from "./initializers.ts";
import { isKeyword, isQualifier, isSpecifierKeyword } from "./keywords.ts";
import { libcPrototype, sameWasmSignature } from "./libc-prototypes.ts";
import type { ParamInfo, Parser } from "./parse.ts";
import { parseEnum, parseRecord } from "./records.ts";
import type { Token } from "./token.ts";
import {
  alignOf,
  arrayOf,
  boolType,
  charType,
  doubleType,
  type FunctionType,
  floatType,
  intType,
  isInteger,
  isRecord,
  llongType,
  longType,
  type Param,
  pointerTo,
  promote,
  sameType,
  scharType,
  shortType,
  signatureOf,
  sizeOf,
  type Type,
  typeToString,
  ucharType,
  uintType,
  ullongType,
  ulongType,
  ushortType,
  v128Type,
  voidType,
} from "./types.ts";

export interface DeclSpec {
  type: Type;
  isConst: boolean;
  storage: "typedef" | "static" | "extern" | undefined;
  inline: boolean;
  loc: Loc;
  /** `_Alignas`: the alignment the declared objects or members must have at least. */
  align?: number;
}

export interface Declarator {
  name: string | undefined;
  loc: Loc;
  type: Type;
  /** The declared object itself is const (`const int x`, `int *const p`). */
  isConst: boolean;
}

/** Does this token start a declaration specifier (keyword or visible typedef name)? */
export function isTypeStart(p: Parser, t: Token): boolean {
  if (t.kind !== "ident") return false;
  return isSpecifierKeyword(t.text) || p.isTypedefName(t.text);
}

// Type-specifier counters, combined by addition like chibicc's declspec.
const VOID = 1 << 0;
const BOOL = 1 << 2;
const CHAR = 1 << 4;
const SHORT = 1 << 6;
const INT = 1 << 8;
const LONG = 1 << 10;
const FLOAT = 1 << 12;
const DOUBLE = 1 << 14;
const OTHER = 1 << 16;
const SIGNED = 1 << 17;
const UNSIGNED = 1 << 18;

function basicSpecifier(s: string): number {
  switch (s) {
    case "int":
      return INT;
    case "char":
      return CHAR;
    case "unsigned":
      return UNSIGNED;
    case "long":
      return LONG;
    case "void":
      return VOID;
    case "double":
      return DOUBLE;
    case "float":
      return FLOAT;
    case "short":
      return SHORT;
    case "signed":
    case "__signed__":
      return SIGNED;
    case "_Bool":
    case "bool":
      return BOOL;
  }
  return 0;
}

function basicType(counter: number): Type | undefined {
  switch (counter) {
    case VOID:
      return voidType;
    case BOOL:
      return boolType;
    case CHAR:
      return charType;
    case SIGNED + CHAR:
      return scharType;
    case UNSIGNED + CHAR:
      return ucharType;
    case SHORT:
    case SHORT + INT:
    case SIGNED + SHORT:
    case SIGNED + SHORT + INT:
      return shortType;
    case UNSIGNED + SHORT:
    case UNSIGNED + SHORT + INT:
      return ushortType;
    case INT:
    case SIGNED:
    case SIGNED + INT:
      return intType;
    case UNSIGNED:
    case UNSIGNED + INT:
      return uintType;
    case LONG:
    case LONG + INT:
    case SIGNED + LONG:
    case SIGNED + LONG + INT:
      return longType;
    case UNSIGNED + LONG:
    case UNSIGNED + LONG + INT:
      return ulongType;
    case LONG + LONG:
    case LONG + LONG + INT:
    case SIGNED + LONG + LONG:
    case SIGNED + LONG + LONG + INT:
      return llongType;
    case UNSIGNED + LONG + LONG:
    case UNSIGNED + LONG + LONG + INT:
      return ullongType;
    case FLOAT:
      return floatType;
    case DOUBLE:
    case LONG + DOUBLE:
      return doubleType;
  }
  return undefined;
}

/** Reads `__attribute__((...))` into the current declaration's attributes. */
export function skipAttribute(p: Parser): void {
  parseAttribute(p, p.attributes);
}

/** Parses declaration specifiers. At file scope a missing type means `int` (with a warning). */
export function parseDeclSpec(p: Parser, fileScope: boolean): DeclSpec {
  const loc = p.tok.loc;
  p.declarationStart = loc;
  p.attributes = {};
  let storage: DeclSpec["storage"];
  let isConst = false;
  let inline = false;
  let counter = 0;
  let type: Type | undefined;
  let align: number | undefined;
  for (;;) {
    const t = p.tok;
    if (t.kind !== "ident") break;
    const text = t.text;
    if (text === "typedef" || text === "static" || text === "extern") {
      if (storage) p.error(t.loc, "multiple storage classes in declaration specifiers");
      storage = text;
      p.pos++;
      continue;
    }
    if (text === "register" || text === "auto" || text === "_Thread_local") {
      p.pos++;
      continue;
    }
    if (isQualifier(text)) {
      if (text === "const" || text === "__const") isConst = true;
      p.pos++;
      continue;
    }
    if (text === "inline" || text === "__inline" || text === "__inline__" || text === "_Noreturn") {
      inline = true;
      p.pos++;
      continue;
    }
    if (text === "__extension__") {
      p.pos++;
      continue;
    }
    if (text === "__attribute__") {
      skipAttribute(p);
      continue;
    }
    if (text === "_Complex" || text === "_Imaginary") p.fatal(t.loc, `${text} is not supported`);
    if (text === "_Alignas") {
      align = Math.max(align ?? 0, parseAlignas(p));
      continue;
    }
    if (text === "typeof" || text === "__typeof__" || text === "__typeof") {
      if (counter) p.error(t.loc, "two or more data types in declaration specifiers");
      const tn = parseTypeof(p);
      type = tn.type;
      if (tn.isConst) isConst = true;
      counter += OTHER;
      continue;
    }
    if (text === "__kplug_v128") {
      // <wasm_simd128.h>'s v128_t: a built-in type so that vectors live in v128 locals.
      if (counter) p.error(t.loc, "two or more data types in declaration specifiers");
      type = v128Type;
      counter += OTHER;
      p.pos++;
      continue;
    }
    if (text === "struct" || text === "union" || text === "enum") {
      if (counter) p.error(t.loc, "two or more data types in declaration specifiers");
      type = text === "enum" ? parseEnum(p) : parseRecord(p);
      counter += OTHER;
      continue;
    }
    const bit = basicSpecifier(text);
    if (bit !== 0) {
      counter += bit;
      if (basicType(counter) === undefined) {
        p.error(t.loc, "two or more data types in declaration specifiers");
        counter -= bit;
      }
      p.pos++;
      continue;
    }
    if (counter === 0) {
      const entry = p.lookup(text);
      if (entry?.k === "typedef") {
        type = entry.type;
        if (entry.isConst) isConst = true;
        counter += OTHER;
        p.pos++;
        continue;
      }
      if (entry === undefined && !isKeyword(text)) {
        const next = p.peekAt(1);
        if (next.kind === "ident" || next.text === "*") {
          // Recover as if it were `int`, so the declaration's names still get declared.
          p.error(t.loc, `unknown type name '${text}'`);
          p.pos++;
          return withAlign({ type: intType, isConst, storage, inline, loc }, align);
        }
      }
    }
    break;
  }
  if (counter === OTHER) return withAlign({ type: type!, isConst, storage, inline, loc }, align);
  if (counter === 0) {
    if (!fileScope && !storage && !isConst && !inline) {
      p.fatal(p.tok.loc, `expected declaration specifiers ${p.describeHere()}`);
    }
    if (!storage && !isConst && !inline) {
      if (p.tok.kind !== "ident")
        p.fatal(p.tok.loc, `expected identifier or '(' ${p.describeHere()}`);
    }
    p.warn(loc, "type defaults to 'int' in declaration");
    return withAlign({ type: intType, isConst, storage, inline, loc }, align);
  }
  return withAlign({ type: basicType(counter) ?? intType, isConst, storage, inline, loc }, align);
}

function withAlign(ds: DeclSpec, align: number | undefined): DeclSpec {
  if (align) ds.align = align;
  return ds;
}

/** A type name (casts, sizeof, compound literals): specifiers and an abstract declarator. */
export function parseTypeName(p: Parser): { type: Type; isConst: boolean } {
  const ds = parseDeclSpec(p, false);
  if (ds.storage) p.error(ds.loc, "storage class specified in a type name");
  if (ds.align) p.error(ds.loc, "alignment specified for a type name");
  const d = parseDeclarator(p, ds.type, ds.isConst, "abstract");
  return { type: d.type, isConst: d.isConst };
}

type DeclaratorMode = "named" | "abstract" | "either";

/** Is the `(` at the current position a nested declarator rather than a parameter list? */
function isNestedDeclarator(p: Parser, mode: DeclaratorMode): boolean {
  if (mode === "named") return true;
  const next = p.peekAt(1);
  if (next.kind === "punct") return next.text === "*" || next.text === "(" || next.text === "[";
  if (mode === "either" && next.kind === "ident") {
    return !isTypeStart(p, next) && !isKeyword(next.text);
  }
  return false;
}

/** Moves past the parenthesized group starting at the current `(`. */
function skipParens(p: Parser): void {
  let depth = 0;
  for (;;) {
    const t = p.next();
    if (t.kind === "eof") p.fatal(t.loc, "expected ')' at end of input");
    if (t.kind !== "punct") continue;
    if (t.text === "(") depth++;
    else if (t.text === ")" && --depth === 0) return;
  }
}

export function parseDeclarator(
  p: Parser,
  base: Type,
  baseConst: boolean,
  mode: DeclaratorMode,
): Declarator {
  p.enter();
  try {
    let type = base;
    let isConst = baseConst;
    while (p.at("*")) {
      p.pos++;
      const ptr = pointerTo(type);
      if (isConst) p.constPointee.add(ptr);
      type = ptr;
      isConst = false;
      for (;;) {
        const q = p.tok;
        if (q.kind !== "ident") break;
        if (isQualifier(q.text)) {
          if (q.text === "const" || q.text === "__const") isConst = true;
          p.pos++;
        } else if (q.text === "__attribute__") {
          skipAttribute(p);
        } else break;
      }
    }
    const t = p.tok;
    if (t.kind === "punct" && t.text === "(" && isNestedDeclarator(p, mode)) {
      // `T (inner) suffix`: the suffix applies to T first, then `inner` wraps the result.
      const start = p.hold();
      try {
        skipParens(p);
        const suffix = parseTypeSuffix(p, type, isConst, t.loc);
        const end = p.pos;
        p.pos = start + 1;
        const d = parseDeclarator(p, suffix.type, suffix.isConst, mode);
        p.expect(")");
        p.pos = end;
        return d;
      } finally {
        p.unhold();
      }
    }
    let name: string | undefined;
    if (t.kind === "ident" && mode !== "abstract" && !isKeyword(t.text)) {
      if (mode === "named" || !p.isTypedefName(t.text)) {
        name = t.text;
        p.pos++;
      }
    }
    if (name === undefined && mode === "named") {
      p.fatal(t.loc, `expected identifier or '(' ${p.describeHere()}`);
    }
    while (p.tok.kind === "ident" && p.tok.text === "__attribute__") skipAttribute(p);
    const s = parseTypeSuffix(p, type, isConst, t.loc);
    while (p.tok.kind === "ident" && p.tok.text === "__attribute__") skipAttribute(p);
    return { name, loc: t.loc, type: s.type, isConst: s.isConst };
  } finally {
    p.leave();
  }
}

function parseTypeSuffix(
  p: Parser,
  type: Type,
  isConst: boolean,
  nameLoc: Loc,
): { type: Type; isConst: boolean } {
  const t = p.tok;
  if (t.kind !== "punct") return { type, isConst };
  if (t.text === "(") {
    p.pos++;
    return { type: parseParams(p, type, t.loc), isConst: false };
  }
  if (t.text !== "[") return { type, isConst };
  p.pos++;
  while (p.tok.kind === "ident" && (p.tok.text === "static" || isQualifier(p.tok.text))) p.pos++;
  const length = p.at("]") ? undefined : parseArrayLength(p, nameLoc);
  p.expect("]");
  p.enter();
  try {
    const inner = parseTypeSuffix(p, type, isConst, nameLoc);
    const of = inner.type;
    if (of.kind === "function") p.fatal(t.loc, "declaration of array of functions");
    if (
      of.kind === "void" ||
      (isRecord(of) && !of.complete) ||
      (of.kind === "array" && of.length === undefined)
    ) {
      p.fatal(t.loc, "array type has incomplete element type");
    }
    if (length !== undefined && length * sizeOf(of) > p.limits.maxObjectBytes) {
      p.fatal(t.loc, "array is too large");
    }
    return { type: arrayOf(of, length), isConst: inner.isConst };
  } finally {
    p.leave();
  }
}

/** The length in `[...]`; errors are reported at the declarator (like gcc) and recovered as 1. */
function parseArrayLength(p: Parser, loc: Loc): number {
  const errors = p.diags.errorCount;
  const e = parseConstantExpr(p);
  if (e.k !== "int" || !isInteger(e.type)) {
    if (p.diags.errorCount === errors) {
      if (e.k === "float") p.error(loc, "size of array has non-integer type");
      else p.error(p.declarationStart, "variable length arrays are not supported");
    }
    return 1;
  }
  const isSignedType = e.type.kind === "enum" || e.type.signed;
  if (isSignedType && e.value < 0n) {
    p.error(loc, "size of array is negative");
    return 1;
  }
  if (e.value > BigInt(p.limits.maxObjectBytes)) p.fatal(loc, "array is too large");
  return Number(e.value);
}

function parseParams(p: Parser, ret: Type, loc: Loc): FunctionType {
  if (ret.kind === "array") p.error(loc, "function cannot return array type");
  if (ret.kind === "function") p.error(loc, "function cannot return function type");
  if (p.eat(")")) {
    const ft: FunctionType = { kind: "function", ret, params: [], variadic: false };
    p.noPrototype.add(ft);
    return ft;
  }
  if (p.at("void") && p.peekAt(1).text === ")") {
    p.pos += 2;
    return { kind: "function", ret, params: [], variadic: false };
  }
  const params: Param[] = [];
  const info: ParamInfo[] = [];
  let variadic = false;
  let ellipsis: Loc | undefined;
  p.pushScope(); // prototype scope: tags declared here stay here
  try {
    for (;;) {
      if (p.at("...")) {
        ellipsis = p.next().loc;
        variadic = true;
        break;
      }
      const t = p.tok;
      if (!isTypeStart(p, t)) {
        if (t.kind === "ident" && !isKeyword(t.text)) {
          const after = p.peekAt(1).text;
          if (params.length === 0 && (after === "," || after === ")")) {
            return parseIdentifierList(p, ret);
          }
          p.fatal(t.loc, `unknown type name '${t.text}'`);
        }
        p.fatal(t.loc, `expected declaration specifiers or '...' ${p.describeHere()}`);
      }
      const ds = parseDeclSpec(p, false);
      if (ds.storage) p.error(ds.loc, `storage class specified for parameter`);
      const d = parseDeclarator(p, ds.type, ds.isConst, "either");
      if (ds.align) p.error(d.loc, `alignment specified for parameter '${d.name ?? ""}'`);
      let type = d.type;
      let isConst = d.isConst;
      if (type.kind === "array") {
        const ptr = pointerTo(type.of);
        if (isConst) p.constPointee.add(ptr);
        type = ptr;
        isConst = false;
      } else if (type.kind === "function") {
        type = pointerTo(type);
      } else if (type.kind === "void") {
        p.error(d.loc, "parameter has incomplete type 'void'");
      }
      params.push({ name: d.name, type });
      info.push({ loc: d.loc, isConst });
      if (!p.eat(",")) break;
    }
  } finally {
    p.popScope();
  }
  p.expect(")");
  const ft: FunctionType = { kind: "function", ret, params, variadic };
  p.paramInfo.set(ft, info);
  if (ellipsis) p.ellipsisLoc.set(ft, ellipsis);
  return ft;
}

/**
 * identifier-list = ident ("," ident)* ")"
 *
 * A K&R definition's parameter names (their types follow the declarator: `knrParameters`).
 * Until the definition's declarations are read the type has no prototype (parseParams pops
 * the prototype scope and returns what this returns).
 */
function parseIdentifierList(p: Parser, ret: Type): FunctionType {
  const names: { name: string; loc: Loc }[] = [];
  for (;;) {
    const t = p.next();
    if (t.kind !== "ident" || isKeyword(t.text)) {
      p.fatal(t.loc, `expected identifier ${p.describeHere()}`);
    }
    if (names.some((n) => n.name === t.text)) {
      p.error(t.loc, `redefinition of parameter '${t.text}'`);
    }
    names.push({ name: t.text, loc: t.loc });
    if (!p.eat(",")) break;
  }
  p.expect(")");
  const ft: FunctionType = { kind: "function", ret, params: [], variadic: false };
  p.knrNames.set(ft, names);
  p.noPrototype.add(ft);
  return ft;
}

/**
 * knr-declarations = (declspec declarator ("," declarator)* ";")*   (before the body's "{")
 *
 * The parameter declarations of a K&R definition `int f(a, c) double a; char c; {...}`. As in
 * C, such a function has no prototype: callers apply the default argument promotions, so its
 * ABI takes each parameter's promoted type (`int` for `char`, `double` for `float`) and the
 * body sees the declared type (`declared`; the definition converts on entry). Parameters left
 * undeclared are `int`.
 */
export function knrParameters(
  p: Parser,
  type: FunctionType,
): { type: FunctionType; declared: Type[]; locs: Loc[] } {
  const names = p.knrNames.get(type)!;
  const declared: (Type | undefined)[] = names.map(() => undefined);
  while (!p.at("{")) {
    if (p.tok.kind === "eof") p.fatal(p.tok.loc, `expected '{' ${p.describeHere()}`);
    const ds = parseDeclSpec(p, false);
    if (ds.storage) p.error(ds.loc, "storage class specified for parameter");
    for (;;) {
      const d = parseDeclarator(p, ds.type, ds.isConst, "named");
      if (ds.align) p.error(d.loc, `alignment specified for parameter '${d.name}'`);
      const i = names.findIndex((n) => n.name === d.name);
      if (i < 0) p.error(d.loc, `declaration for parameter '${d.name}' but no such parameter`);
      else if (declared[i]) p.error(d.loc, `redefinition of parameter '${d.name}'`);
      else {
        let t = d.type;
        if (t.kind === "array") t = pointerTo(t.of);
        else if (t.kind === "function") t = pointerTo(t);
        else if (t.kind === "void") p.error(d.loc, "parameter has incomplete type 'void'");
        declared[i] = t;
      }
      if (!p.eat(",")) break;
    }
    p.expect(";");
  }
  const types = declared.map((t, i) => {
    if (t) return t;
    p.warn(names[i]!.loc, `type of '${names[i]!.name}' defaults to 'int'`);
    return intType;
  });
  const params = types.map((t, i) => ({
    name: names[i]!.name,
    type: t.kind === "float" ? doubleType : isInteger(t) ? promote(t) : t,
  }));
  return {
    type: { kind: "function", ret: type.ret, params, variadic: false },
    declared: types,
    locs: names.map((n) => n.loc),
  };
}

// ---- binding names ----

function declareTypedef(p: Parser, d: Declarator, ds: DeclSpec): void {
  const name = d.name!;
  if (ds.align) p.error(d.loc, `alignment specified for typedef '${name}'`);
  if (p.scope === p.fileScope) p.resolveDeferred(name);
  const prev = p.scope.names.get(name);
  if (prev) {
    // C11 6.7p3: the same type again; compatible is not enough (`int[]` then `int[3]`).
    if (prev.k !== "typedef") {
      p.error(d.loc, `'${name}' redeclared as different kind of symbol`);
    } else if (!sameType(prev.type, d.type)) {
      p.error(d.loc, `conflicting types for '${name}'`);
    } else if (typeToString(prev.type) !== typeToString(d.type)) {
      p.error(d.loc, `redefinition of typedef '${name}' with different type`);
    }
    return;
  }
  p.declareName(name, { k: "typedef", type: d.type, isConst: d.isConst }, d.loc);
}

function compatibleFunctions(p: Parser, a: FunctionType, b: FunctionType): boolean {
  if (p.noPrototype.has(a) || p.noPrototype.has(b)) return sameType(a.ret, b.ret);
  return sameType(a, b);
}

/** Declares (or redeclares) a function; block-scope declarations bind the file-scope symbol. */
export function declareFunction(
  p: Parser,
  name: string,
  type: FunctionType,
  ds: DeclSpec,
  loc: Loc,
  defining: boolean,
): Var {
  const inlineHint = p.attributes.inline;
  if (p.scope !== p.fileScope && ds.storage === "static") {
    p.error(loc, `invalid storage class for function '${name}'`);
  }
  p.resolveDeferred(name);
  const prev = p.fileScope.names.get(name);
  let v: Var;
  if (prev) {
    if (prev.k !== "var" || prev.v.kind !== "function") {
      p.fatal(loc, `'${name}' redeclared as different kind of symbol`);
    }
    v = prev.v;
    const old = v.type as FunctionType;
    if (!compatibleFunctions(p, old, type)) {
      p.error(loc, `conflicting types for '${name}'`);
    } else if (defining || (p.noPrototype.has(old) && !p.noPrototype.has(type))) {
      v.type = type;
    }
    if (ds.storage === "static" && v.linkage === "external") {
      p.error(loc, `static declaration of '${name}' follows non-static declaration`);
    }
  } else {
    v = p.newVar(name, type, "function", ds.storage === "static" ? "internal" : "external", loc);
    p.declareName(name, { k: "var", v }, loc, p.fileScope);
    p.addGlobal(v);
    if (!defining && ds.storage !== "static") checkLibraryPrototype(p, v, type, loc);
  }
  if (p.scope !== p.fileScope) {
    const local = p.scope.names.get(name);
    if (local && !(local.k === "var" && local.v === v)) {
      p.error(loc, `'${name}' redeclared as different kind of symbol`);
    }
    p.declareName(name, { k: "var", v }, loc);
  }
  if (inlineHint) v.inlineHint = inlineHint;
  return v;
}

/**
 * A C library function declared without its header: as gcc treats its built-ins, a declaration
 * without a prototype takes the library's, and one that disagrees is a warning when it can
 * still link (the same wasm signature), else an error.
 */
function checkLibraryPrototype(p: Parser, v: Var, type: FunctionType, loc: Loc): void {
  const lib = libcPrototype(v.name);
  if (lib === undefined) return;
  const want = signatureOf(lib);
  if (p.noPrototype.has(type) && typeToString(type.ret) === typeToString(lib.ret)) {
    v.type = lib;
    return;
  }
  if (signatureOf(type) === want) return;
  const message = `conflicting types for built-in function '${v.name}'; expected '${want}'`;
  if (!p.noPrototype.has(type) && sameWasmSignature(type, lib)) {
    p.warn(loc, message);
    v.linkSignature = want;
  } else {
    p.error(loc, message);
  }
}

/** `_Alignas` on an object: never below its type's alignment (C11 6.7.5p4). */
function alignObject(p: Parser, ds: DeclSpec, v: Var, name: string, loc: Loc): void {
  if (!ds.align) return;
  if (v.type.kind === "function") {
    p.error(loc, `alignment specified for function '${name}'`);
  } else if (ds.align < alignOf(v.type)) {
    p.error(loc, `'_Alignas' specifiers cannot reduce alignment of '${name}'`);
  } else {
    v.align = Math.max(v.align ?? 0, ds.align);
  }
}

/** A file-scope declarator (not a function definition), with its initializer if any. */
export function declareGlobal(p: Parser, ds: DeclSpec, d: Declarator): void {
  const name = d.name!;
  if (ds.storage === "typedef") {
    declareTypedef(p, d, ds);
    return;
  }
  if (d.type.kind === "function") {
    if (ds.align) p.error(d.loc, `alignment specified for function '${name}'`);
    declareFunction(p, name, d.type, ds, d.loc, false);
    if (p.at("=")) p.fatal(p.tok.loc, `function '${name}' is initialized like a variable`);
    return;
  }
  if (d.type.kind === "void") p.fatal(d.loc, `variable '${name}' declared void`);
  p.resolveDeferred(name);
  const prev = p.fileScope.names.get(name);
  let v: Var;
  if (prev) {
    if (prev.k !== "var" || prev.v.kind !== "global") {
      p.fatal(d.loc, `'${name}' redeclared as different kind of symbol`);
    }
    v = prev.v;
    if (!sameType(v.type, d.type)) {
      p.error(d.loc, `conflicting types for '${name}'`);
    } else if (v.type.kind === "array" && v.type.length === undefined) {
      v.type = d.type;
    }
    if (ds.storage === "static" && v.linkage === "external") {
      p.error(d.loc, `static declaration of '${name}' follows non-static declaration`);
    }
  } else {
    const linkage = ds.storage === "static" ? "internal" : "external";
    v = p.newVar(name, d.type, "global", linkage, d.loc);
    p.declareName(name, { k: "var", v }, d.loc, p.fileScope);
    p.addGlobal(v);
  }
  alignObject(p, ds, v, name, d.loc);
  if (d.isConst) {
    p.constVars.add(v);
    v.readonly = true;
  }
  const wasDefined = v.defined;
  if (p.at("=")) {
    const eq = p.next();
    if (v.init) p.error(d.loc, `redefinition of '${name}'`);
    if (ds.storage === "extern") p.warn(d.loc, `'${name}' initialized and declared 'extern'`);
    const { init, type } = parseInitializer(p, v.type, true);
    v.type = type;
    v.init = init;
    v.defined = true;
    if (isRecord(type) && !type.complete) p.error(eq.loc, `storage size of '${name}' isn't known`);
  } else if (ds.storage !== "extern") {
    v.defined = true;
  }
  if (v.defined && !wasDefined) p.chargeStatic(v);
}

/** A declaration at block scope, up to its `;`: one DeclStmt per automatic variable. */
export function parseLocalDeclaration(p: Parser): Stmt[] {
  const out: Stmt[] = [];
  if (p.tok.kind === "ident" && p.tok.text === "_Static_assert") {
    parseStaticAssert(p);
    return out;
  }
  const ds = parseDeclSpec(p, false);
  if (p.eat(";")) return out;
  const fn = p.fn!;
  for (;;) {
    const d = parseDeclarator(p, ds.type, ds.isConst, "named");
    const name = d.name!;
    if (ds.storage === "typedef") {
      declareTypedef(p, d, ds);
    } else if (d.type.kind === "function") {
      declareFunction(p, name, d.type, ds, d.loc, false);
    } else if (ds.storage === "extern") {
      declareBlockExtern(p, d);
      const entry = p.scope.names.get(name);
      if (entry?.k === "var") alignObject(p, ds, entry.v, name, d.loc);
    } else {
      if (d.type.kind === "void") p.fatal(d.loc, `variable '${name}' declared void`);
      const prev = p.scope.names.get(name);
      if (prev) p.error(d.loc, `redefinition of '${name}'`);
      const v =
        ds.storage === "static"
          ? p.newInternalGlobal(name, d.type, d.loc)
          : p.newLocal(name, d.type, d.loc);
      alignObject(p, ds, v, name, d.loc);
      if (d.isConst) p.constVars.add(v);
      if (!p.attributes.unused) fn.declared.push(v); // `unused`: no unused-variable warning
      p.declareName(name, { k: "var", v }, d.loc);
      let init: ReturnType<typeof parseInitializer> | undefined;
      if (p.eat("=")) {
        init = parseInitializer(p, v.type, ds.storage === "static");
        v.type = init.type;
      }
      const t = v.type;
      if (t.kind === "array" && t.length === undefined) {
        p.error(d.loc, `array size missing in '${name}'`);
      } else if (isRecord(t) && !t.complete) {
        p.error(d.loc, `storage size of '${name}' isn't known`);
      }
      if (ds.storage === "static") {
        if (init) v.init = init.init;
        if (d.isConst) v.readonly = true;
        p.chargeStatic(v);
      } else {
        out.push(
          init ? { k: "decl", loc: d.loc, v, init: init.init } : { k: "decl", loc: d.loc, v },
        );
      }
    }
    if (!p.eat(",")) break;
  }
  expectDeclarationEnd(p);
  return out;
}

/** The `;` ending a declaration; gcc reports its absence at the next token. */
export function expectDeclarationEnd(p: Parser): void {
  if (!p.eat(";")) p.fatal(p.tok.loc, `expected ',' or ';' ${p.describeHere()}`);
}

/** `extern T x;` inside a function: binds the file-scope object (declaring it if needed). */
function declareBlockExtern(p: Parser, d: Declarator): void {
  const name = d.name!;
  p.resolveDeferred(name);
  const prev = p.fileScope.names.get(name);
  let v: Var;
  if (prev?.k === "var" && prev.v.kind === "global") {
    v = prev.v;
    if (!sameType(v.type, d.type)) p.error(d.loc, `conflicting types for '${name}'`);
  } else if (prev) {
    p.fatal(d.loc, `'${name}' redeclared as different kind of symbol`);
  } else {
    v = p.newVar(name, d.type, "global", "external", d.loc);
    p.declareName(name, { k: "var", v }, d.loc, p.fileScope);
    p.addGlobal(v);
  }
  if (p.at("=")) p.fatal(p.tok.loc, `'${name}' has both 'extern' and initializer`);
  p.declareName(name, { k: "var", v }, d.loc);
}
