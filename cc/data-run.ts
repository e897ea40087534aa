// Data runs (issue 15): a long stretch of numbers, character constants and `, { } - +` — the
// body of a big table's initializer — lexed into typed arrays (offsets into the source, a kind
// and two flags per token) and carried through the preprocessor and parser as one "run" token
// instead of a Token and a Loc per element. None of its tokens can be a macro name or start a
// directive, so the preprocessor passes it through untouched when it only copies tokens to its
// output; anywhere else (macro arguments, after #line) it expands the run back into ordinary
// tokens with their exact spelling, flags and location (`DataRun.tokens`). The parser keeps a
// run only right after `=` (an initializer, initializers.ts reads it in place) and expands it
// everywhere else.

import type { Loc } from "./diagnostics.ts";
import type { Token, TokenKind } from "./token.ts";

export const RUN_NUM = 0;
export const RUN_CHAR = 1;
export const RUN_COMMA = 2;
export const RUN_LBRACE = 3;
export const RUN_RBRACE = 4;
export const RUN_MINUS = 5;
export const RUN_PLUS = 6;

const PUNCT_TEXT = ["", "", ",", "{", "}", "-", "+"];

/**
 * Shorter stretches stay ordinary tokens: a run pays off only for tables. Tests lower it to
 * put runs everywhere, or raise it to compare with the token-by-token path.
 */
export const dataRunSettings = { minTokens: 32 };

const AT_LINE_START = 1;
const HAS_SPACE = 2;

export class DataRun {
  constructor(
    private readonly text: string,
    readonly file: string,
    /** RUN_* per token. */
    readonly kinds: Uint8Array,
    /** Source offsets of each token's first character and one past its last. */
    readonly starts: Int32Array,
    readonly ends: Int32Array,
    private readonly flags: Uint8Array,
    /** Character constants' values by token index (null when the run has none). */
    private readonly values: Int32Array | null,
    /** Line of the run's first token and the offsets where it and each later line start. */
    private readonly firstLine: number,
    private readonly lineStarts: Int32Array,
  ) {}

  get count(): number {
    return this.kinds.length;
  }

  /** Spelling of token `j` (a number's; punctuators' are constants). */
  spelling(j: number): string {
    const k = this.kinds[j]!;
    return k >= RUN_COMMA ? PUNCT_TEXT[k]! : this.text.slice(this.starts[j]!, this.ends[j]!);
  }

  /** Token `j` as a decimal integer of at most 9 digits without suffix (an `int`), or -1. */
  smallDecimal(j: number): number {
    const text = this.text;
    const a = this.starts[j]!;
    const n = this.ends[j]! - a;
    if (n > 9 || (n > 1 && text.charCodeAt(a) === 48)) return -1; // long, or octal
    let v = 0;
    for (let i = a; i < a + n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  }

  /** Character constant `j`'s value (a C int). */
  charValue(j: number): number {
    return this.values![j]!;
  }

  /** The line index (from `firstLine`) of token `j`, by binary search on line starts. */
  private lineIndex(j: number): number {
    const at = this.starts[j]!;
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  loc(j: number): Loc {
    const li = this.lineIndex(j);
    return {
      file: this.file,
      line: this.firstLine + li,
      col: this.starts[j]! - this.lineStarts[li]! + 1,
    };
  }

  /** Token `j` as the lexer would have made it. */
  token(j: number): Token {
    const k = this.kinds[j]!;
    const kind: TokenKind = k === RUN_NUM ? "num" : k === RUN_CHAR ? "char" : "punct";
    const f = this.flags[j]!;
    return {
      kind,
      text: this.spelling(j),
      loc: this.loc(j),
      atLineStart: (f & AT_LINE_START) !== 0,
      hasSpace: (f & HAS_SPACE) !== 0,
      value: k === RUN_CHAR ? this.values![j] : undefined,
      bytes: undefined,
      hideset: undefined,
    };
  }

  /** Tokens `from`.. the end, as ordinary tokens. */
  tokens(from = 0): Token[] {
    const n = this.count;
    const out = new Array<Token>(n - from);
    for (let j = from; j < n; j++) out[j - from] = this.token(j);
    return out;
  }
}

/** The one token that stands for a whole run in a token list: its first token's place. */
export function runToken(run: DataRun): Token {
  const t = run.token(0);
  t.kind = "run";
  t.run = run;
  return t;
}

// ---------------------------------------------------------------------------------------------
// The lexer's side: scanning a run from a token's first character.

/** Growable scratch arrays shared by all scans (copied out for each run made). */
let kinds = new Uint8Array(1024);
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let flags = new Uint8Array(1024);
let values = new Int32Array(1024);
let lineStarts = new Int32Array(64);

function grow(): void {
  const n = kinds.length * 2;
  const k = new Uint8Array(n);
  k.set(kinds);
  kinds = k;
  const s = new Int32Array(n);
  s.set(starts);
  starts = s;
  const e = new Int32Array(n);
  e.set(ends);
  ends = e;
  const f = new Uint8Array(n);
  f.set(flags);
  flags = f;
  const v = new Int32Array(n);
  v.set(values);
  values = v;
}

function pushLineStart(lines: number, at: number): void {
  if (lines === lineStarts.length) {
    const bigger = new Int32Array(lines * 2);
    bigger.set(lineStarts);
    lineStarts = bigger;
  }
  lineStarts[lines] = at;
}

export interface ScannedRun {
  run: DataRun;
  /** Lexer state after the run's last token. */
  pos: number;
  line: number;
  lineStart: number;
}

const SIMPLE_ESCAPES: Record<number, number> = {
  110: 10,
  116: 9,
  114: 13,
  97: 7,
  98: 8,
  102: 12,
  118: 11,
  101: 27,
  92: 92,
  39: 39,
  34: 34,
  63: 63,
};

/**
 * A run starting at `pos` (a token's first character), or the offset before which no run can
 * start (so a failed scan is not repeated token by token). Only characters that lex exactly the
 * same inside and outside a run are taken: ASCII, no lexer diagnostics (a character constant
 * with anything unusual, a comment with a surrogate pair or without its end, stops the run).
 */
export function scanRun(
  text: string,
  file: string,
  pos: number,
  line: number,
  lineStart: number,
  atLineStart: boolean,
  hasSpace: boolean,
): ScannedRun | number {
  const len = text.length;
  let i = pos;
  let ln = line;
  let ls = lineStart;
  let bol = atLineStart;
  let sp = hasSpace;
  let n = 0;
  let lines = 0;
  pushLineStart(lines++, lineStart);
  let endPos = pos;
  let endLine = line;
  let endLs = lineStart;
  let endLines = 1;
  let hasChars = false;
  scan: while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      ln++;
      ls = i;
      pushLineStart(lines++, i);
      bol = true;
      sp = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 12 || c === 11 || c === 13) {
      i++;
      sp = true;
      continue;
    }
    let kind: number;
    let end = i + 1;
    let value = 0;
    if (c >= 48 && c <= 57) {
      kind = RUN_NUM;
      end = numberEnd(text, i);
    } else if (c === 46) {
      const d = text.charCodeAt(i + 1);
      if (!(d >= 48 && d <= 57)) break;
      kind = RUN_NUM;
      end = numberEnd(text, i);
    } else if (c === 44) kind = RUN_COMMA;
    else if (c === 123) kind = RUN_LBRACE;
    else if (c === 125) kind = RUN_RBRACE;
    else if (c === 45) {
      const d = text.charCodeAt(i + 1);
      if (d === 45 || d === 61 || d === 62) break;
      kind = RUN_MINUS;
    } else if (c === 43) {
      const d = text.charCodeAt(i + 1);
      if (d === 43 || d === 61) break;
      kind = RUN_PLUS;
    } else if (c === 39) {
      // 'c' or a simple escape: the byte, sign-extended as gcc's char constants are.
      const ch = text.charCodeAt(i + 1);
      let byte: number;
      let close: number;
      if (ch === 92) {
        const e = text.charCodeAt(i + 2);
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          byte = simple;
          close = i + 3;
        } else if (e >= 48 && e <= 55) {
          byte = 0;
          close = i + 2;
          while (close < i + 5) {
            const d = text.charCodeAt(close);
            if (d < 48 || d > 55) break;
            byte = byte * 8 + (d - 48);
            close++;
          }
          if (byte > 255) break;
        } else break;
      } else if (ch >= 32 && ch < 127 && ch !== 39) {
        byte = ch;
        close = i + 2;
      } else break;
      if (text.charCodeAt(close) !== 39) break;
      kind = RUN_CHAR;
      end = close + 1;
      value = (byte << 24) >> 24;
      hasChars = true;
    } else if (c === 47) {
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        const nl = text.indexOf("\n", i + 2);
        i = nl < 0 ? len : nl;
        sp = true;
        continue;
      }
      if (d !== 42) break;
      const close = text.indexOf("*/", i + 2);
      if (close < 0) break;
      for (let k = i + 2; k < close; k++) {
        const e = text.charCodeAt(k);
        if (e >= 0xd800) break scan;
        if (e === 10) {
          ln++;
          ls = k + 1;
          pushLineStart(lines++, k + 1);
        }
      }
      i = close + 2;
      sp = true;
      continue;
    } else break;
    if (n === kinds.length) grow();
    kinds[n] = kind;
    starts[n] = i;
    ends[n] = end;
    flags[n] = (bol ? AT_LINE_START : 0) | (sp ? HAS_SPACE : 0);
    values[n] = value;
    n++;
    bol = false;
    sp = false;
    i = end;
    endPos = end;
    endLine = ln;
    endLs = ls;
    endLines = lines;
  }
  // A run of one token would save nothing (and `##` relexes one token: it must stay one).
  if (n < Math.max(2, dataRunSettings.minTokens)) return Math.max(i, pos + 1);
  const run = new DataRun(
    text,
    file,
    kinds.slice(0, n),
    starts.slice(0, n),
    ends.slice(0, n),
    flags.slice(0, n),
    hasChars ? values.slice(0, n) : null,
    line,
    lineStarts.slice(0, endLines),
  );
  return { run, pos: endPos, line: endLine, lineStart: endLs };
}

/** One past a preprocessing number starting at `i` (the lexer's rule). */
function numberEnd(text: string, i: number): number {
  i++;
  for (;;) {
    const d = text.charCodeAt(i);
    if ((d === 43 || d === 45) && isExponentChar(text.charCodeAt(i - 1))) i++;
    else if (
      (d >= 48 && d <= 57) ||
      (d >= 65 && d <= 90) ||
      (d >= 97 && d <= 122) ||
      d === 95 ||
      d === 36 ||
      d === 46
    )
      i++;
    else return i;
  }
}

function isExponentChar(c: number): boolean {
  return c === 101 || c === 69 || c === 112 || c === 80;
}

/** A run token's tokens for a preprocessor frame, through `#line`'s mapping when there is one. */
export function runFrameTokens<M>(
  tok: Token,
  lineMap: M | null,
  map: (m: M, t: Token) => Token,
): Token[] {
  const toks = tok.run!.tokens();
  if (lineMap === null) return toks;
  return toks.map((t) => map(lineMap, t));
}
