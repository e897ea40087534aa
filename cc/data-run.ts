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
    /** Source offset of each token's first character. */
    readonly starts: Int32Array,
    private readonly flags: Uint8Array,
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
    return k >= RUN_COMMA ? PUNCT_TEXT[k]! : this.text.slice(this.starts[j]!, this.end(j));
  }

  /** One past the last character of token `j`. */
  private end(j: number): number {
    const a = this.starts[j]!;
    switch (this.kinds[j]) {
      case RUN_NUM:
        return numberEnd(this.text, a);
      case RUN_CHAR:
        return charConstantAt(this.text, a)!.end;
      default:
        return a + 1;
    }
  }

  /** Token `j` as a decimal integer of at most 9 digits without suffix (an `int`), or -1. */
  smallDecimal(j: number): number {
    const text = this.text;
    const a = this.starts[j]!;
    const n = numberEnd(text, a) - a;
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
    return charConstantAt(this.text, this.starts[j]!)!.value;
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
      value: k === RUN_CHAR ? this.charValue(j) : undefined,
      bytes: undefined,
      hideset: undefined,
      recolored: undefined,
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
const SCRATCH_KEPT = 1 << 16;
let kinds = new Uint8Array(1024);
let starts = new Int32Array(1024);
let flags = new Uint8Array(1024);
let lineStarts = new Int32Array(64);

function grow(): void {
  const n = kinds.length * 2;
  const k = new Uint8Array(n);
  k.set(kinds);
  kinds = k;
  const s = new Int32Array(n);
  s.set(starts);
  starts = s;
  const f = new Uint8Array(n);
  f.set(flags);
  flags = f;
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

// What each ASCII character is to the scanner (0: it ends the run).
const C_NEWLINE = 1;
const C_SPACE = 2;
const C_DIGIT = 3;
const C_DOT = 4;
const C_PUNCT = 5;
const C_MINUS = 6;
const C_PLUS = 7;
const C_QUOTE = 8;
const C_SLASH = 9;
const scanClass = new Uint8Array(128);
/** Characters that continue a preprocessing number (with `e+`-style signs handled apart). */
const numberCont = new Uint8Array(128);
const punctKind = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[0-9]/.test(ch)) scanClass[c] = C_DIGIT;
  if (/[0-9A-Za-z_$.]/.test(ch)) numberCont[c] = 1;
}
scanClass[10] = C_NEWLINE;
for (const c of [32, 9, 12, 11, 13]) scanClass[c] = C_SPACE;
scanClass[46] = C_DOT;
scanClass[44] = C_PUNCT;
scanClass[123] = C_PUNCT;
scanClass[125] = C_PUNCT;
scanClass[45] = C_MINUS;
scanClass[43] = C_PLUS;
scanClass[39] = C_QUOTE;
scanClass[47] = C_SLASH;
punctKind[44] = RUN_COMMA;
punctKind[123] = RUN_LBRACE;
punctKind[125] = RUN_RBRACE;

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
  let bol = atLineStart;
  let sp = hasSpace;
  let n = 0;
  let lines = 0;
  pushLineStart(lines++, lineStart);
  let ls = lineStart;
  let endPos = pos;
  let endLine = line;
  let endLs = lineStart;
  let endLines = 1;
  scan: while (i < len) {
    const c = text.charCodeAt(i);
    let kind: number;
    let end = i + 1;
    switch (c < 128 ? scanClass[c] : 0) {
      case C_NEWLINE:
        i++;
        ln++;
        ls = i;
        pushLineStart(lines++, i);
        bol = true;
        sp = false;
        continue;
      case C_SPACE:
        i++;
        sp = true;
        continue;
      case C_PUNCT:
        kind = punctKind[c]!;
        break;
      case C_DIGIT:
        kind = RUN_NUM;
        end = numberEnd(text, i);
        break;
      case C_DOT: {
        const d = text.charCodeAt(i + 1);
        if (!(d >= 48 && d <= 57)) break scan;
        kind = RUN_NUM;
        end = numberEnd(text, i);
        break;
      }
      case C_MINUS: {
        const d = text.charCodeAt(i + 1);
        if (d === 45 || d === 61 || d === 62) break scan;
        kind = RUN_MINUS;
        break;
      }
      case C_PLUS: {
        const d = text.charCodeAt(i + 1);
        if (d === 43 || d === 61) break scan;
        kind = RUN_PLUS;
        break;
      }
      case C_QUOTE: {
        const c = charConstantAt(text, i);
        if (c === undefined) break scan;
        kind = RUN_CHAR;
        end = c.end;
        break;
      }
      case C_SLASH: {
        const d = text.charCodeAt(i + 1);
        if (d === 47) {
          const nl = text.indexOf("\n", i + 2);
          i = nl < 0 ? len : nl;
          sp = true;
          continue;
        }
        if (d !== 42) break scan;
        const close = text.indexOf("*/", i + 2);
        if (close < 0) break scan;
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
      }
      default:
        break scan;
    }
    if (n === kinds.length) grow();
    kinds[n] = kind;
    starts[n] = i;
    flags[n] = (bol ? AT_LINE_START : 0) | (sp ? HAS_SPACE : 0);
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
    flags.slice(0, n),
    line,
    lineStarts.slice(0, endLines),
  );
  // The copies are the run; scratch grown for a big table is not kept for the process's life.
  if (kinds.length > SCRATCH_KEPT) {
    kinds = new Uint8Array(1024);
    starts = new Int32Array(1024);
    flags = new Uint8Array(1024);
  }
  if (lineStarts.length > SCRATCH_KEPT) lineStarts = new Int32Array(64);
  return { run, pos: endPos, line: endLine, lineStart: endLs };
}

/**
 * The character constant at `i` (its quote) when it is one a run takes: 'c' or a simple or
 * octal escape of one byte, whose value is that byte sign-extended (gcc's char is signed).
 */
function charConstantAt(text: string, i: number): { value: number; end: number } | undefined {
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
      if (byte > 255) return undefined;
    } else {
      return undefined;
    }
  } else if (ch >= 32 && ch < 127 && ch !== 39 && ch !== 92) {
    byte = ch;
    close = i + 2;
  } else {
    return undefined;
  }
  if (text.charCodeAt(close) !== 39) return undefined;
  return { value: (byte << 24) >> 24, end: close + 1 };
}

/** One past a preprocessing number starting at `i` (the lexer's rule). */
function numberEnd(text: string, i: number): number {
  i++;
  for (;;) {
    const d = text.charCodeAt(i);
    if (d < 128 && numberCont[d] === 1) i++;
    else if ((d === 43 || d === 45) && isExponentChar(text.charCodeAt(i - 1))) i++;
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
