// Initializers: braced lists with brace elision and designators, strings into char arrays,
// flattened into (offset, scalar) items. Static initializers must be constants or address
// constants, which are put in the canonical form ast.ts describes.

import type { Expr, InitItem, Initializer, Var } from "./ast.ts";
import { packBitFields } from "./bitfield-init.ts";
import { convertAssign } from "./conversions.ts";
import {
  type DataRun,
  RUN_CHAR,
  RUN_COMMA,
  RUN_LBRACE,
  RUN_MINUS,
  RUN_NUM,
  RUN_PLUS,
  RUN_RBRACE,
} from "./data-run.ts";
import type { Loc } from "./diagnostics.ts";
import { makeUnary } from "./expr-nodes.ts";
import {
  charConstant,
  numberConstant,
  parseAssign,
  parseIntConstExpr,
  parseNumberElement,
  readLiteral,
  show,
} from "./expressions.ts";
import { mkInt } from "./fold.ts";
import { PackedRun, resolveOverrides } from "./init-bytes.ts";
import { expandRange } from "./init-range.ts";
import { parseNumber } from "./numbers.ts";
import type { Parser } from "./parse.ts";
import {
  type ArrayType,
  arrayOf,
  type BitField,
  intType,
  isRecord,
  pointerTo,
  type RecordType,
  sameType,
  sizeOf,
  type Type,
} from "./types.ts";
import { literalElement } from "./wide-strings.ts";

interface InitState {
  p: Parser;
  isStatic: boolean;
  items: InitItem[];
  /** Constant scalars of a static initializer not yet in `items` (see init-bytes.ts). */
  run: PackedRun;
  /** A designator appeared: later items may override earlier ones. */
  designated: boolean;
  /** Elements seen for a top-level array of unknown length. */
  count: number;
  top: ArrayType | undefined;
  /** The data run being read in place (the current token is one), and the index in it. */
  cur: DataRun | null;
  j: number;
  /** The object's type, and the flexible array member of a static struct being initialized
   *  (GNU: the object grows to hold its elements), with the elements seen for it. */
  type: Type;
  flexible?: { array: ArrayType; offset: number; count: number };
}

/**
 * Parses the initializer after `=` (or the braces of a compound literal) for an object of
 * `type`. Returns the items and the type, completed when it was an array of unknown length.
 */
export function parseInitializer(
  p: Parser,
  type: Type,
  isStatic: boolean,
): { init: Initializer; type: Type } {
  const top = type.kind === "array" && type.length === undefined ? type : undefined;
  const st: InitState = {
    p,
    isStatic,
    items: [],
    run: new PackedRun(),
    designated: false,
    count: 0,
    top,
    cur: null,
    j: 0,
    type,
  };
  try {
    initValue(st, type, 0);
  } finally {
    // An abort inside a run leaves its unread tokens for the parser to resynchronize on.
    if (st.cur !== null) leaveRun(st);
  }
  flushRun(st);
  let complete = type;
  if (top) {
    complete = arrayOf(top.of, st.count);
    if (sizeOf(complete) > p.limits.maxObjectBytes) p.fatal(p.tok.loc, "array is too large");
  }
  let size = sizeOf(complete);
  const flex = st.flexible;
  if (flex) {
    size = Math.max(size, flex.offset + flex.count * sizeOf(flex.array.of));
    if (size > p.limits.maxObjectBytes) p.fatal(p.tok.loc, "array is too large");
  }
  const items = packBitFields(st.designated ? resolveOverrides(st.items) : st.items);
  return { init: { size, items }, type: complete };
}

/**
 * Starts a flexible array member's initializer (`struct {int n; int a[];} s = {2, {1, 2}}`):
 * a GNU extension for static objects whose array is the object's own last member.
 */
function beginFlexible(st: InitState, array: ArrayType, offset: number): void {
  const p: Parser = st.p;
  const top = st.type;
  const last = isRecord(top) && top.kind === "struct" ? top.members.at(-1) : undefined;
  // After an error the elements are still parsed, so that the next ones are not misread.
  if (!st.isStatic) p.error(p.tok.loc, "non-static initialization of a flexible array member");
  else if (last?.type !== array || last.offset !== offset || st.flexible) {
    p.error(p.tok.loc, "initialization of flexible array member in a nested context");
  } else st.flexible = { array, offset, count: 0 };
}

/** Records that an array of unknown length (the top one or a flexible member) has `n` elements. */
function noteLength(st: InitState, type: ArrayType, n: number): void {
  if (type === st.top) st.count = Math.max(st.count, n);
  else if (st.flexible?.array === type) st.flexible.count = Math.max(st.flexible.count, n);
}

const isDesignatorStart = (st: InitState) => !inRun(st) && (st.p.at(".") || st.p.at("["));

// --- reading a data run in place ------------------------------------------------------------
// Between `=` and the end of a table's initializer the parser holds one "run" token (see
// data-run.ts). The functions below read it token by token without making tokens; whatever
// they do not handle calls `leaveRun`, which puts the unread tokens into the token list, and
// the ordinary code goes on from there, so diagnostics and bytes are the same either way.

/** The current token is in a data run (starting to read one if the parser is at one). */
function inRun(st: InitState): boolean {
  if (st.cur !== null) return true;
  const t = st.p.tok;
  if (t.kind !== "run") return false;
  st.cur = t.run!;
  st.j = 0;
  return true;
}

/** Steps past the current run token; past the run's last one, the parser moves on. */
function advance(st: InitState): void {
  if (++st.j === st.cur!.count) {
    st.cur = null;
    st.p.pos++;
  }
}

/** Hands the rest of the run to the ordinary code as tokens. */
function leaveRun(st: InitState): void {
  if (st.cur !== null) {
    st.p.expandRun(st.j);
    st.cur = null;
  } else if (st.p.tok.kind === "run") {
    st.p.expandRun(0);
  }
}

/** The current token is the punctuator `text` (RUN_* `kind` inside a run). */
function atPunct(st: InitState, text: string, kind: number): boolean {
  if (inRun(st)) return st.cur!.kinds[st.j] === kind;
  return st.p.at(text);
}

function eatPunct(st: InitState, text: string, kind: number): boolean {
  if (inRun(st)) {
    if (st.cur!.kinds[st.j] !== kind) return false;
    advance(st);
    return true;
  }
  return st.p.eat(text);
}

/** The kind of the token after the current one in the run, or -1 (then the run is left). */
function runKindAfter(st: InitState): number {
  if (st.j + 1 < st.cur!.count) return st.cur!.kinds[st.j + 1]!;
  leaveRun(st);
  return -1;
}

/** `p.enter()`, whose "nesting too deep" must point at the token it would in a token list. */
function enterInit(st: InitState): void {
  if (st.cur !== null && st.p.depth + 1 > st.p.limits.maxNestingDepth) leaveRun(st);
  st.p.enter();
}

/** An array a string literal can initialize: of char, or of a wide character type. */
function isCharArray(t: Type): t is ArrayType {
  if (t.kind !== "array") return false;
  const e = t.of.kind === "enum" ? undefined : t.of;
  return e?.kind === "int" && (e.size === 1 ? e.name === "char" : e.size === 2 || e.size === 4);
}

/** One initializer for an object of `type` at `offset` (a bit-field's when `bits`). */
function initValue(st: InitState, type: Type, offset: number, bits?: BitField): void {
  const p: Parser = st.p;
  enterInit(st);
  try {
    if (type.kind === "array") {
      if (type.length === undefined && type !== st.top) {
        leaveRun(st);
        beginFlexible(st, type, offset);
      }
      if (isCharArray(type) && inRun(st)) {
        // A run holds no string; `{` then a string is the only form to look past it for.
        if (st.cur!.kinds[st.j] === RUN_LBRACE) runKindAfter(st);
      }
      if (isCharArray(type) && !inRun(st)) {
        if (p.tok.kind === "str") {
          initString(st, type, offset);
          return;
        }
        if (p.at("{") && p.peekAt(1).kind === "str") {
          const after = p.peekAt(2).text;
          if (after === "}" || (after === "," && p.peekAt(3).text === "}")) {
            p.pos++;
            initString(st, type, offset);
            p.eat(",");
            p.expect("}");
            return;
          }
        }
      }
      if (eatPunct(st, "{", RUN_LBRACE)) initList(st, type, offset, true, false);
      else initList(st, type, offset, false, false);
      return;
    }
    if (isRecord(type)) {
      if (!type.complete) {
        leaveRun(st);
        p.fatal(p.tok.loc, `variable has incomplete type '${type.kind} ${type.tag ?? ""}'`);
      }
      if (eatPunct(st, "{", RUN_LBRACE)) {
        initList(st, type, offset, true, false);
        return;
      }
      // A number cannot be an expression of struct type: the first member of an elided list.
      if (inRun(st) && startsPlainNumber(st)) {
        initList(st, type, offset, false, false);
        return;
      }
      leaveRun(st);
      // Either an expression of the same struct type, or the first member of an elided list.
      const t = p.tok;
      if (t.kind === "ident" || (t.kind === "punct" && t.text !== "{")) {
        const save = p.hold();
        let e: Expr;
        try {
          e = parseAssign(p);
        } finally {
          p.unhold();
        }
        if (isRecord(e.type) && sameType(e.type, type)) {
          addExpr(st, type, offset, e, t.loc);
          return;
        }
        p.pos = save;
      }
      initList(st, type, offset, false, false);
      return;
    }
    if (inRun(st)) {
      if (runScalar(st, type, offset, bits)) return;
      leaveRun(st);
    }
    if (p.eat("{")) {
      // A scalar in braces: `int x = {1};`
      if (p.at("}")) p.pos++;
      else {
        initValue(st, type, offset, bits);
        p.eat(",");
        while (!p.at("}") && p.tok.kind !== "eof") {
          p.warn(p.tok.loc, "excess elements in scalar initializer");
          skipInitializer(p);
          if (!p.eat(",")) break;
        }
        p.expect("}");
      }
      return;
    }
    const start = p.tok.loc;
    const e = parseNumberElement(p) ?? parseAssign(p);
    const value = convertAssign(p, e, type, "initializing", false, start);
    if (bits) addBitField(st, type, offset, bits, value, start);
    else addExpr(st, type, offset, value, start);
  } finally {
    p.leave();
  }
}

/**
 * At `[-|+] number` followed by `,` or `}` in the run, with a number that parses cleanly (the
 * ordinary code's trial parse of a struct-typed expression there would report nothing).
 */
function startsPlainNumber(st: InitState): boolean {
  const run = st.cur!;
  let j = st.j;
  const k = run.kinds[j];
  if (k === RUN_MINUS || k === RUN_PLUS) j++;
  else if (k === RUN_CHAR) return true;
  if (j + 1 >= run.count || run.kinds[j] !== RUN_NUM) return false;
  const after = run.kinds[j + 1];
  if (after !== RUN_COMMA && after !== RUN_RBRACE) return false;
  return parseNumber(run.spelling(j)).kind !== "error";
}

/**
 * A scalar element read from the run: `[-|+] number-or-char` followed by `,` or `}` (the
 * elements `parseNumberElement` takes). A short decimal integer that fits a static integer
 * or floating object is written straight into the packed bytes; any other gets the constant
 * expression, conversion and checks the ordinary code gives it. False (nothing read) for
 * anything else.
 */
function runScalar(st: InitState, type: Type, offset: number, bits?: BitField): boolean {
  const run = st.cur!;
  const kinds = run.kinds;
  const first = st.j;
  let j = first;
  let k = kinds[j]!;
  const sign = k === RUN_MINUS || k === RUN_PLUS ? k : -1;
  if (sign >= 0) {
    j++;
    if (j >= run.count) return false;
    k = kinds[j]!;
    if (k !== RUN_NUM) return false; // parseNumberElement takes a sign only before a number
  } else if (k !== RUN_NUM && k !== RUN_CHAR) {
    return false;
  }
  // The element ends at `,` or `}`; what follows the run is for the ordinary code to see.
  if (j + 1 >= run.count) return false;
  const after = kinds[j + 1];
  if (after !== RUN_COMMA && after !== RUN_RBRACE) return false;
  if (st.isStatic && bits === undefined && k === RUN_NUM) {
    const v = run.smallDecimal(j);
    if (v >= 0 && packSmall(st, type, offset, sign === RUN_MINUS ? 0 - v : v)) {
      st.j = j;
      advance(st);
      return true;
    }
  }
  const p = st.p;
  const start = run.loc(first);
  let e =
    k === RUN_NUM
      ? numberConstant(p, run.spelling(j), sign >= 0 ? run.loc(j) : start)
      : charConstant(run.spelling(j), run.charValue(j), start);
  if (sign >= 0) e = makeUnary(p, sign === RUN_MINUS ? "-" : "+", e, start);
  st.j = j;
  advance(st);
  const value = convertAssign(p, e, type, "initializing", false, start);
  if (bits) addBitField(st, type, offset, bits, value, start);
  else addExpr(st, type, offset, value, start);
  return true;
}

/**
 * Packs the int constant `v` into a static integer or floating object when the ordinary
 * conversion would leave it unchanged and say nothing: an integer type it fits (not _Bool),
 * or a floating type that holds it exactly.
 */
function packSmall(st: InitState, type: Type, offset: number, v: number): boolean {
  let size: number;
  let isFloat = false;
  if (type.kind === "int") {
    if (type.name === "_Bool") return false;
    size = type.size;
    if (
      type.signed
        ? v < SIGNED_MIN[size]! || v > SIGNED_MAX[size]!
        : v < 0 || v > UNSIGNED_MAX[size]!
    )
      return false;
  } else if (type.kind === "float" && v <= 2 ** 24 && v >= -(2 ** 24)) {
    size = type.size;
    isFloat = true;
  } else {
    return false;
  }
  if (!st.run.addExact(size, isFloat, offset, v, st.designated)) {
    flushRun(st);
    st.run.addExact(size, isFloat, offset, v, st.designated);
  }
  return true;
}

// Ranges of integer types by size in bytes (a data run's small integers are within 2^30).
const SIGNED_MIN = [0, -128, -32768, 0, -(2 ** 31), 0, 0, 0, -(2 ** 63)];
const SIGNED_MAX = [0, 127, 32767, 0, 2 ** 31 - 1, 0, 0, 0, 2 ** 63];
const UNSIGNED_MAX = [0, 255, 65535, 0, 2 ** 32 - 1, 0, 0, 0, 2 ** 64];

function initString(st: InitState, type: ArrayType, offset: number): void {
  const p: Parser = st.p;
  const loc = p.tok.loc;
  const { bytes, prefix } = readLiteral(p);
  const unit = sizeOf(type.of);
  if (literalElement(prefix).size !== unit) {
    p.error(loc, "array of inappropriate type initialized from string constant");
    return;
  }
  const units = bytes.length / unit;
  let length = type.length;
  if (length === undefined) {
    length = units + 1;
    noteLength(st, type, length);
  } else if (units > length) {
    p.warn(loc, `initializer-string for array of '${show(type.of)}' is too long`);
  }
  const n = Math.min(units, length) * unit;
  if (n > 0) pushItem(st, { offset, bytes: bytes.subarray(0, n) });
}

/**
 * The elements of an array or the members of a struct/union, braced or (brace elision) not.
 * `designatedEntry`: entered for the rest of a designator path (`.a.b = 1`), whose first
 * component is the current token.
 */
function initList(
  st: InitState,
  type: ArrayType | RecordType,
  offset: number,
  braced: boolean,
  designatedEntry: boolean,
): void {
  const p: Parser = st.p;
  const isArray = type.kind === "array";
  const capacity = isArray
    ? (type.length ?? Number.POSITIVE_INFINITY)
    : type.kind === "union"
      ? 1
      : type.members.length;
  let index = 0;
  let first = true;
  for (;;) {
    if (braced && eatPunct(st, "}", RUN_RBRACE)) return;
    if (isDesignatorStart(st)) {
      if (!braced && !(first && designatedEntry)) return; // belongs to an enclosing list
      st.designated = true;
      const sub = designator(st, type, offset);
      index = sub.last ?? sub.index;
      if (isDesignatorStart(st)) {
        if (sub.type.kind !== "array" && !isRecord(sub.type)) {
          p.fatal(p.tok.loc, "designator into a scalar");
        }
        if (sub.last !== undefined) {
          p.fatal(p.tok.loc, "a designator after a range designator is not supported");
        }
        initList(st, sub.type as ArrayType | RecordType, sub.offset, false, true);
      } else {
        // GNU's obsolete `[3] 7` (gcc 2.5) leaves out the `=` after an array index.
        if (!p.eat("=") && p.peekAt(-1).text !== "]") p.expect("=");
        if (sub.last === undefined) initValue(st, sub.type, sub.offset, sub.bits);
        else initRange(st, sub.type, sub.offset, sub.last - sub.index + 1);
      }
      index = type.kind === "union" ? capacity : index + 1;
    } else if (index >= capacity) {
      if (!braced) return;
      leaveRun(st);
      p.warn(p.tok.loc, `excess elements in ${isArray ? "array" : type.kind} initializer`);
      skipInitializer(p);
    } else {
      if (isArray) {
        const elem = type.of;
        initValue(st, elem, offset + index * sizeOf(elem));
      } else {
        const m = type.members[index]!;
        initValue(st, m.type, offset + m.offset, m.bits);
      }
      index = type.kind === "union" ? capacity : index + 1;
    }
    if (isArray && type.length === undefined) noteLength(st, type, index);
    first = false;
    if (braced) {
      if (eatPunct(st, ",", RUN_COMMA)) continue;
      if (!eatPunct(st, "}", RUN_RBRACE)) {
        leaveRun(st);
        p.expect("}");
      }
      return;
    }
    if (index >= capacity || !atPunct(st, ",", RUN_COMMA)) return;
    if (inRun(st)) {
      const after = runKindAfter(st);
      if (after === RUN_RBRACE) return;
      if (after >= 0) {
        advance(st);
        continue;
      }
    }
    const after = p.peekAt(1);
    if (after.text === "}" || after.text === "." || after.text === "[") return;
    p.pos++;
  }
}

/** GNU `[first ... last] = value`: the value once, its items copied along the range. */
function initRange(st: InitState, elem: Type, offset: number, count: number): void {
  const p: Parser = st.p;
  const loc = p.tok.loc;
  flushRun(st);
  const before = st.items.length;
  initValue(st, elem, offset);
  flushRun(st);
  const range = expandRange(st.items.slice(before), offset, sizeOf(elem), count, p.limits);
  if (typeof range === "string") p.fatal(loc, range);
  st.items.length = before;
  for (const item of range) st.items.push(item);
}

/**
 * One designator component, relative to `type` at `offset`:
 * designator = "[" const-expr ("..." const-expr)? "]" | "." ident
 * The GNU range (`[2 ... 9]`) gives its `last` index.
 */
function designator(
  st: InitState,
  type: ArrayType | RecordType,
  offset: number,
): { index: number; last?: number; type: Type; offset: number; bits?: BitField } {
  const p: Parser = st.p;
  const t = p.next();
  if (t.text === "[") {
    if (type.kind !== "array") p.fatal(t.loc, "array index in non-array initializer");
    const indexAt = (v: bigint | undefined): number => {
      const index = v === undefined ? 0 : Number(v);
      if (v !== undefined && (v < 0n || (type.length !== undefined && index >= type.length))) {
        p.fatal(t.loc, "array index in initializer exceeds array bounds");
      }
      if (type.length === undefined && index > p.limits.maxObjectBytes)
        p.fatal(t.loc, "array is too large");
      return index;
    };
    const index = indexAt(parseIntConstExpr(p));
    const last = p.eat("...") ? indexAt(parseIntConstExpr(p)) : undefined;
    p.expect("]");
    if (last !== undefined && last < index) p.fatal(t.loc, "empty index range in initializer");
    return { index, last, type: type.of, offset: offset + index * sizeOf(type.of) };
  }
  if (type.kind === "array") p.fatal(t.loc, "field name not in record or union initializer");
  const name = p.expectIdent();
  const members = type.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (m.name === name.text) {
      return { index: i, type: m.type, offset: offset + m.offset, bits: m.bits };
    }
  }
  // A member of an anonymous struct/union: designate the anonymous member, then re-read
  // `.name` inside it.
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (m.name === undefined && isRecord(m.type) && hasMember(m.type, name.text)) {
      p.pos -= 2;
      return { index: i, type: m.type, offset: offset + m.offset };
    }
  }
  p.fatal(
    name.loc,
    `no member named '${name.text}' in '${type.kind} ${type.tag ?? "<anonymous>"}'`,
  );
}

function hasMember(r: RecordType, name: string): boolean {
  return r.members.some(
    (m) => m.name === name || (m.name === undefined && isRecord(m.type) && hasMember(m.type, name)),
  );
}

/** Skips one initializer (after an "excess elements" warning). */
function skipInitializer(p: Parser): void {
  if (!p.at("{")) {
    parseAssign(p);
    return;
  }
  let depth = 0;
  for (;;) {
    const t = p.next();
    if (t.kind === "eof") return;
    if (t.text === "{") depth++;
    else if (t.text === "}" && --depth === 0) return;
  }
}

function addExpr(st: InitState, type: Type, offset: number, e: Expr, start: Loc): void {
  if (st.isStatic) {
    e = staticValue(st.p, e, type, start);
    if ((e.k === "int" || e.k === "float") && isPackable(type)) {
      if (st.run.add(type, offset, e.value, st.designated)) return;
      flushRun(st);
      st.run.add(type, offset, e.value, st.designated);
      return;
    }
  }
  pushItem(st, { offset, type, expr: e });
}

/** Scalars whose constant value is their bytes (an address constant needs a relocation). */
function isPackable(t: Type): boolean {
  return t.kind === "int" || t.kind === "float" || t.kind === "enum" || t.kind === "pointer";
}

function pushItem(st: InitState, item: InitItem): void {
  flushRun(st);
  st.items.push(item);
}

function flushRun(st: InitState): void {
  if (!st.run.empty) st.items.push(st.run.take());
}

/** A bit-field's value: a constant (static objects need one) or any expression (automatic). */
function addBitField(
  st: InitState,
  type: Type,
  offset: number,
  bits: BitField,
  e: Expr,
  start: Loc,
): void {
  if (st.isStatic && e.k !== "int") {
    st.p.error(start, "initializer element is not constant");
    return;
  }
  pushItem(st, { offset, type, expr: e, bits });
}

/** Checks a static initializer element and puts address constants in canonical form. */
function staticValue(p: Parser, e: Expr, type: Type, start: Loc): Expr {
  if (e.k === "int" || e.k === "float") return e;
  if (type.kind === "pointer" || (type.kind === "int" && type.size === 4)) {
    const a = addressConstant(e);
    if (a) {
      const base: Expr = { k: "addr", lv: a.v, type: pointerTo(a.v.type), loc: e.loc };
      a.v.v.addressTaken = true;
      if (a.offset === 0) {
        return sameType(base.type, type) ? base : { k: "cast", arg: base, type, loc: e.loc };
      }
      const offset = mkInt(BigInt(a.offset), intType, e.loc);
      const ptr: Expr = { k: "binary", op: "+", l: base, r: offset, type: base.type, loc: e.loc };
      if (type.kind === "pointer") ptr.type = type;
      return sameType(ptr.type, type) ? ptr : { k: "cast", arg: ptr, type, loc: e.loc };
    }
  }
  p.error(start, "initializer element is not constant");
  return e;
}

/** The (object, byte offset) an address constant designates, if `e` is one. */
function addressConstant(e: Expr): { v: Expr & { k: "var"; v: Var }; offset: number } | undefined {
  switch (e.k) {
    case "addr":
      return lvalueAddress(e.lv);
    case "cast":
      if (e.arg.type.kind === "pointer" || e.arg.type.kind === "int") return addressConstant(e.arg);
      return undefined;
    case "binary": {
      if ((e.op !== "+" && e.op !== "-") || e.type.kind !== "pointer" || e.r.k !== "int")
        return undefined;
      const base = addressConstant(e.l);
      if (!base) return undefined;
      const delta = Number(e.r.value);
      return { v: base.v, offset: base.offset + (e.op === "+" ? delta : -delta) };
    }
    default:
      return undefined;
  }
}

function lvalueAddress(lv: Expr): { v: Expr & { k: "var"; v: Var }; offset: number } | undefined {
  switch (lv.k) {
    case "var":
      if (lv.v.kind !== "global" && lv.v.kind !== "function") return undefined;
      return { v: lv, offset: 0 };
    case "member": {
      const base = lvalueAddress(lv.base);
      return base && { v: base.v, offset: base.offset + lv.member.offset };
    }
    case "deref":
      return addressConstant(lv.ptr);
    default:
      return undefined;
  }
}
