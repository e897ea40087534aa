// The preprocessor's output buffer. The parser takes tokens from it as they are made (see
// TokenWindow), so it holds only what has not been taken yet: the last token (a string literal
// after it would join it) and, while a built-in header is being recorded, the header's tokens.
// Holding the whole output until parsing began cost the X-macro benchmark ~30 ms of scavenges
// per compile (450k tokens, 45k of them copies kept alive; bench/compile-speed.ts).

import type { Token } from "./token.ts";

const EMPTY: Token[] = [];

export class TokenList {
  /** Tokens from index `base` on. */
  private toks: Token[] = [];
  private base = 0;
  /** Tokens handed out by `take` (every token before this index). */
  private taken = 0;
  /** Tokens from this index on are kept for `slice` (-1: none); see `keep`. */
  private keptFrom = -1;

  /** Tokens pushed so far (taken or not). */
  get length(): number {
    return this.base + this.toks.length;
  }

  push(t: Token): void {
    this.toks.push(t);
  }

  /** The last token, or undefined when none has been pushed (it is never taken but at the end). */
  last(): Token | undefined {
    return this.length > this.taken ? this.toks[this.toks.length - 1] : undefined;
  }

  /** Replaces the last token (there is one, not yet taken). */
  setLast(t: Token): void {
    this.toks[this.toks.length - 1] = t;
  }

  /** Keeps the tokens from index `from` on for `slice` until `keep(-1)`. */
  keep(from: number): void {
    this.keptFrom = from;
  }

  /** Tokens `from`.. the end, as a new array (`from` is kept: see `keep`). */
  slice(from: number): Token[] {
    if (from < this.base) throw new Error("token list: tokens already taken");
    return this.toks.slice(from - this.base);
  }

  /**
   * The tokens not taken yet; but the last unless `all` (the input has ended), which a string
   * literal pushed next may replace.
   */
  take(all: boolean): Token[] {
    const end = all ? this.length : this.length - 1;
    if (end <= this.taken) return EMPTY;
    const toks = this.toks;
    if (this.keptFrom < 0 && this.taken === this.base) {
      // Hand over the buffer itself: no copy.
      this.toks = all ? [] : [toks.pop()!];
      this.base = end;
      this.taken = end;
      return toks;
    }
    const got = toks.slice(this.taken - this.base, end - this.base);
    this.taken = end;
    const drop = (this.keptFrom < 0 ? end : Math.min(this.keptFrom, end)) - this.base;
    if (drop > 0) {
      this.toks = toks.slice(drop);
      this.base += drop;
    }
    return got;
  }
}
