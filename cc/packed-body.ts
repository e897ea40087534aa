// Packed macro bodies: the body of a long object-like `#define` (an X-macro table: thousands of
// `X(name, value)` entries on one spliced line) lexed into typed arrays instead of a Token and
// a Loc per token. Such a body is only ever a template: every expansion reads it lazily and
// makes each token afresh with the invocation's location and hide set (preprocess.ts,
// `pushLazyExpansion`), so keeping 90,000 template tokens alive for the whole compilation only
// cost the garbage collector their promotion (about 20 ms of the X-macro benchmark's ~40 ms
// of collection). The lexer packs a body when it can (lexer.ts `packBody`); the directive
// that defines the macro receives one "packed" token in its place, and anything else that
// reads the line (a `#define` gathered into a macro argument) gets ordinary tokens back from
// `tokens()`.

import type { Loc } from "./diagnostics.ts";
import type { Token, TokenKind } from "./token.ts";

/**
 * Bodies shorter than `minTokens` stay ordinary tokens (the preprocessor reads object-like
 * bodies of more than 64 lazily anyway). Tests lower it to pack every body, or set it to
 * Infinity to compare with the unpacked path.
 */
export const packedBodySettings = { minTokens: 65 };

export const IDENT = 0;
export const NUM = 1;
export const PUNCT = 2;
const CHAR = 3;

const KIND_OF: readonly TokenKind[] = ["ident", "num", "punct", "char"];
const CODE_OF: Partial<Record<TokenKind, number>> = {
  ident: IDENT,
  num: NUM,
  punct: PUNCT,
  char: CHAR,
};

export class PackedBody {
  constructor(
    /** The (spliced) source the offsets point into. */
    private readonly text: string,
    readonly file: string,
    private readonly kinds: Uint8Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    /** Bit 0: preceded by white space. */
    private readonly spaces: Uint8Array,
    private readonly lines: Int32Array,
    private readonly cols: Int32Array,
    /** Character constants' values (0 for other tokens). */
    private readonly values: Int32Array,
  ) {}

  private placeholders: Token[] | null = null;
  private spellings: string[] | null = null;

  get count(): number {
    return this.kinds.length;
  }

  /**
   * An array as long as the body that stands for it in a macro frame, whose reads go through
   * the frame's `lazy.packed` instead (preprocess.ts): its entries are holes, never read.
   */
  slots(): Token[] {
    this.placeholders ??= new Array<Token>(this.count);
    return this.placeholders;
  }

  /** Whether token `k` is the punctuator `,` (read without making the token). */
  isComma(k: number): boolean {
    return this.kinds[k] === PUNCT && this.text.charCodeAt(this.starts[k]) === 44;
  }

  /** Whether token `k` is the punctuator `(` (read without making the token). */
  isOpenParen(k: number): boolean {
    return this.kinds[k] === PUNCT && this.text.charCodeAt(this.starts[k]) === 40;
  }

  /**
   * Token `k` as an expansion makes it: at `loc`, with hide set `hs`, preceded by white space
   * as written unless `hasSpace` says otherwise.
   */
  token(
    k: number,
    loc: Loc,
    hideset: ReadonlySet<string> | undefined,
    hasSpace = this.spaces[k] === 1,
  ): Token {
    const code = this.kinds[k];
    return {
      kind: KIND_OF[code],
      text: this.spelling(k),
      loc,
      atLineStart: false,
      hasSpace,
      value: code === CHAR ? this.values[k] : undefined,
      bytes: undefined,
      hideset,
      recolored: undefined,
    };
  }

  /**
   * Token `k`'s spelling, sliced once per body: a table expanded twice (an enum and a switch)
   * reads each spelling twice, and a macro name looked up again keeps its hash.
   */
  private spelling(k: number): string {
    this.spellings ??= new Array<string>(this.count);
    const cache = this.spellings;
    let s = cache[k];
    if (s === undefined) {
      s = this.text.slice(this.starts[k], this.ends[k]);
      cache[k] = s;
    }
    return s;
  }

  /**
   * Whether `other` is the same body as `sameDefinition` (macro.ts) compares bodies: the same
   * spellings, and white space before the same tokens but the first.
   */
  sameAs(other: PackedBody): boolean {
    if (other === this) return true;
    const n = this.count;
    if (other.count !== n) return false;
    for (let k = 0; k < n; k++) {
      if (k > 0 && this.spaces[k] !== other.spaces[k]) return false;
      const start = this.starts[k];
      const length = this.ends[k] - start;
      const otherStart = other.starts[k];
      if (other.ends[k] - otherStart !== length) return false;
      for (let i = 0; i < length; i++) {
        if (this.text.charCodeAt(start + i) !== other.text.charCodeAt(otherStart + i)) return false;
      }
    }
    return true;
  }

  /** The body as ordinary tokens with their own locations (as the lexer would have made them). */
  tokens(): Token[] {
    const out = new Array<Token>(this.count);
    for (let k = 0; k < this.count; k++) {
      out[k] = this.token(
        k,
        { file: this.file, line: this.lines[k], col: this.cols[k] },
        undefined,
      );
    }
    return out;
  }
}

const FIELDS = 7; // kind, start, end, space, line, col, value

/**
 * Gathers a body token by token (the lexer's side) in one growing Int32Array, whose buffer
 * lives outside the JS heap, so a long body costs the collector nothing while it is lexed;
 * `finish` packs it.
 */
export class PackedBodyBuilder {
  private rows = new Int32Array(FIELDS * 256);
  count = 0;

  /**
   * Adds `tok`, spelled by `text[start, end)`; false if it cannot be packed: only identifiers,
   * numbers, punctuators other than `#`/`##`, and plain character constants, spelled exactly
   * as in the source.
   */
  add(tok: Token, text: string, start: number, end: number): boolean {
    const code = CODE_OF[tok.kind];
    if (code === undefined || tok.bytes !== undefined) return false;
    if (code === PUNCT && (tok.text === "#" || tok.text === "##" || tok.text.startsWith("%:"))) {
      return false;
    }
    if (code === CHAR && text.charCodeAt(start) !== 39) return false;
    if (end - start !== tok.text.length || text.slice(start, end) !== tok.text) return false;
    const value = code === CHAR ? (tok.value ?? 0) : 0;
    this.addRaw(code, start, end, tok.hasSpace, tok.loc.line, tok.loc.col, value);
    return true;
  }

  /** Adds a token the lexer scanned without making it (an identifier, number or punctuator). */
  addRaw(
    code: number,
    start: number,
    end: number,
    hasSpace: boolean,
    line: number,
    col: number,
    value = 0,
  ): void {
    if ((this.count + 1) * FIELDS > this.rows.length) {
      const grown = new Int32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    const r = this.rows;
    const at = this.count++ * FIELDS;
    r[at] = code;
    r[at + 1] = start;
    r[at + 2] = end;
    r[at + 3] = hasSpace ? 1 : 0;
    r[at + 4] = line;
    r[at + 5] = col;
    r[at + 6] = value;
  }

  finish(text: string, file: string): PackedBody {
    const n = this.count;
    const r = this.rows;
    const kinds = new Uint8Array(n);
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const spaces = new Uint8Array(n);
    const lines = new Int32Array(n);
    const cols = new Int32Array(n);
    const values = new Int32Array(n);
    for (let k = 0, at = 0; k < n; k++, at += FIELDS) {
      kinds[k] = r[at];
      starts[k] = r[at + 1];
      ends[k] = r[at + 2];
      spaces[k] = r[at + 3];
      lines[k] = r[at + 4];
      cols[k] = r[at + 5];
      values[k] = r[at + 6];
    }
    return new PackedBody(text, file, kinds, starts, ends, spaces, lines, cols, values);
  }
}
