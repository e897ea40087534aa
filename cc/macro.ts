// Macros as the preprocessor stores them, the hide sets that stop recursive expansion
// (Prosser's algorithm), and the built-in dynamic macros.

import { makeToken } from "./lexer.ts";
import type { PackedBody } from "./packed-body.ts";
import type { Token } from "./token.ts";

export interface Macro {
  name: string;
  /** Function-like macros have a parameter list (possibly empty). */
  params: string[] | null;
  variadic: boolean;
  body: Token[];
  /** Per body token: the index of the parameter it names, or -1. */
  paramAt: readonly number[];
  /** True when the body has # or ## (otherwise substitution is a plain copy). */
  hasOperators: boolean;
  /** Built-in dynamic macros (__FILE__, __LINE__, __DATE__, __TIME__, __COUNTER__). */
  dynamic?: (at: Token, run: DynamicState) => Token;
  /** `{name}`: the hide set of an expansion of this macro from a token without one. */
  self: ReadonlySet<string>;
  /** A long object-like body the lexer packed (packed-body.ts); `body` is then empty. */
  packed?: PackedBody;
}

/** A macro's body as tokens (a packed one unpacked). */
export function bodyTokens(m: Macro): Token[] {
  return m.packed !== undefined ? m.packed.tokens() : m.body;
}

/** Hide sets beyond this size mean macros nested absurdly deep; refusing keeps work bounded. */
export const MAX_HIDESET = 256;

export const PLACEMARKER: Token = Object.freeze(
  makeToken("punct", "", { file: "", line: 0, col: 0 }, false, false),
);

export function fileMacro(at: Token): Token {
  return stringToken(at.loc.file, at);
}

export function lineMacro(at: Token): Token {
  return makeToken("num", String(at.loc.line), at.loc, false, at.hasSpace);
}

const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

function stringToken(text: string, at: Token): Token {
  const tok = makeToken("str", JSON.stringify(text), at.loc, false, at.hasSpace);
  tok.bytes = new TextEncoder().encode(text);
  return tok;
}

/** C99 6.10.8: "Mmm dd yyyy", the day space-padded, in local time as gcc prints it. */
/** What dynamic macros read from the compilation expanding them. */
export interface DynamicState {
  /** When the compilation began: every __TIME__ of one compilation agrees, as in gcc. */
  readonly started: Date;
  /** Expansions of __COUNTER__ so far. */
  counter: number;
}

/** GNU __COUNTER__: 0, 1, 2, ... in the order of expansion. */
export function counterMacro(at: Token, run: DynamicState): Token {
  return makeToken("num", String(run.counter++), at.loc, false, at.hasSpace);
}

export function dateMacro(at: Token, { started }: DynamicState): Token {
  const day = String(started.getDate()).padStart(2, " ");
  return stringToken(`${MONTHS[started.getMonth()]} ${day} ${started.getFullYear()}`, at);
}

/** C99 6.10.8: "hh:mm:ss". */
export function timeMacro(at: Token, { started: t }: DynamicState): Token {
  const two = (n: number) => String(n).padStart(2, "0");
  return stringToken(`${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`, at);
}

export function sameDefinition(a: Macro, b: Macro): boolean {
  if (a.dynamic || b.dynamic) return false;
  if ((a.params === null) !== (b.params === null) || a.variadic !== b.variadic) return false;
  if (a.params && a.params.join(",") !== b.params!.join(",")) return false;
  // Two packed bodies (a header included again redefines its tables) are compared in place:
  // unpacking both made two tokens per body token for each redefinition.
  if (a.packed !== undefined && b.packed !== undefined) return a.packed.sameAs(b.packed);
  const ab = bodyTokens(a);
  const bb = bodyTokens(b);
  if (ab.length !== bb.length) return false;
  for (let k = 0; k < ab.length; k++) {
    const x = ab[k];
    const y = bb[k];
    if (x.text !== y.text || (k > 0 && x.hasSpace !== y.hasSpace)) return false;
  }
  return true;
}

/**
 * Hide sets of one preprocessing run, interned: every set this table makes is the only one
 * with its names, and adding, joining and intersecting are memoised, so the tokens of an
 * expansion share a handful of sets and the common cases cost a map lookup, not a new Set per
 * token. Sets made elsewhere (a macro's `self`, tokens of a cached header) are accepted as
 * operands; results are interned here. The table lives as long as the run, and grows by at
 * most one set per operation, each operation paid for by the macro work budget.
 */
export class HidesetTable {
  private readonly interned = new Map<string, ReadonlySet<string>>();
  private readonly added = new Map<ReadonlySet<string>, Map<string, ReadonlySet<string>>>();
  private readonly unions = new Map<
    ReadonlySet<string>,
    Map<ReadonlySet<string>, ReadonlySet<string>>
  >();
  private readonly intersections = new Map<
    ReadonlySet<string>,
    Map<ReadonlySet<string>, ReadonlySet<string> | undefined>
  >();

  /** `hs` plus `name`. */
  add(hs: ReadonlySet<string>, name: string): ReadonlySet<string> {
    if (hs.has(name)) return hs;
    let byName = this.added.get(hs);
    if (byName === undefined) {
      byName = new Map();
      this.added.set(hs, byName);
    }
    let r = byName.get(name);
    if (r === undefined) {
      const s = new Set(hs);
      s.add(name);
      r = this.intern(s);
      byName.set(name, r);
    }
    return r;
  }

  /** The names in `a` or `b`. */
  union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
    if (a === b || b.size === 0) return a;
    if (a.size === 0) return b;
    let byB = this.unions.get(a);
    if (byB === undefined) {
      byB = new Map();
      this.unions.set(a, byB);
    }
    let r = byB.get(b);
    if (r === undefined) {
      r = contains(a, b) ? a : contains(b, a) ? b : this.intern(new Set([...a, ...b]));
      byB.set(b, r);
    }
    return r;
  }

  /** The names in both `a` and `b`; undefined when either is or the result would be empty. */
  intersect(
    a: ReadonlySet<string> | undefined,
    b: ReadonlySet<string> | undefined,
  ): ReadonlySet<string> | undefined {
    if (!a || !b) return undefined;
    if (a === b) return a;
    let byB = this.intersections.get(a);
    if (byB === undefined) {
      byB = new Map();
      this.intersections.set(a, byB);
    }
    if (byB.has(b)) return byB.get(b);
    let r: ReadonlySet<string> | undefined;
    if (contains(a, b)) r = b;
    else if (contains(b, a)) r = a;
    else {
      const s = new Set<string>();
      for (const x of a) if (b.has(x)) s.add(x);
      r = s.size > 0 ? this.intern(s) : undefined;
    }
    byB.set(b, r);
    return r;
  }

  private intern(s: Set<string>): ReadonlySet<string> {
    const key = [...s].sort().join(" ");
    const known = this.interned.get(key);
    if (known !== undefined) return known;
    this.interned.set(key, s);
    return s;
  }
}

/** Whether every name of `small` is in `big`. */
function contains(big: ReadonlySet<string>, small: ReadonlySet<string>): boolean {
  if (small.size > big.size) return false;
  for (const x of small) if (!big.has(x)) return false;
  return true;
}
