// The parser's view of the token stream: token i by index, read from the preprocessor as the
// parser gets to it (TokenSource), and dropped once the parser says it will not look back
// (`release`). It is not a list of the whole output: only a window of it exists at a time,
// which is what lets the preprocessor's tokens die young.
//
// Data runs (data-run.ts) stay one token only where an initializer reads them in place
// (`= {`); any other run is expanded into its tokens as it enters the window.

import type { DataRun } from "./data-run.ts";
import type { Token } from "./token.ts";

/** Where a window's tokens come from: batches, the last ending in "eof"; then null. */
export interface TokenSource {
  pull(): Token[] | null;
}

/** Tokens a release keeps before the position (the parser peeks back at most this far). */
const MARGIN = 16;

export const windowSettings = {
  /** Released tokens are dropped once this many are behind the parser; tests set 1 to drop at
   *  every release, so a read behind a release fails at once. */
  dropAt: 4096,
};

export class TokenWindow {
  /** Token `base + k` is `buf[k]`. */
  private buf: Token[] = [];
  private base = 0;
  /** `buf[0..cleared)` are released tokens already cleared (see `release`). */
  private cleared = 0;
  /** The previous token from the source (for `isInitializerRun`). */
  private prev: Token | undefined = undefined;
  /** Every run is expanded from now on (see `expandRun`). */
  private expandAll = false;

  private constructor(private source: TokenSource | null) {}

  /** A window on a copy of `tokens` (released tokens are cleared), which end in "eof". */
  static of(tokens: Token[]): TokenWindow {
    const w = new TokenWindow(null);
    if (tokens.some((t) => t.kind === "run")) w.append(tokens);
    else w.buf = tokens.slice();
    return w;
  }

  /** A window on what `source` makes, runs expanded but where initializers read them. */
  static over(source: TokenSource): TokenWindow {
    return new TokenWindow(source);
  }

  /** Token `i`; past the end, the "eof". */
  at(i: number): Token {
    const t = this.buf[i - this.base];
    return t !== undefined ? t : this.fill(i);
  }

  private fill(i: number): Token {
    if (i < this.base + this.cleared)
      throw new Error(`token ${i} was released (window starts at ${this.base + this.cleared})`);
    while (this.source !== null && i - this.base >= this.buf.length) {
      const got = this.source.pull();
      if (got === null) this.source = null;
      else this.append(got);
    }
    const t = this.buf[i - this.base];
    if (t !== undefined) return t;
    const last = this.buf[this.buf.length - 1];
    if (last === undefined || last.kind !== "eof") throw new Error("token stream without eof");
    return last;
  }

  private append(got: Token[]): void {
    const buf = this.buf;
    let prev = this.prev;
    for (let k = 0; k < got.length; k++) {
      const t = got[k]!;
      if (t.kind === "run" && (this.expandAll || !isInitializerRun(prev, t)))
        pushRun(buf, t.run!, 0);
      else buf.push(t);
      prev = t;
    }
    this.prev = prev;
  }

  /** The index of the "eof" (the rest of the source is read). */
  end(): number {
    while (this.source !== null) this.fill(this.base + this.buf.length);
    return this.base + this.buf.length - 1;
  }

  /** The parser will not read tokens before `pos - MARGIN` again. */
  release(pos: number): void {
    const drop = pos - MARGIN - this.base;
    if (drop < windowSettings.dropAt) return;
    const buf = this.buf;
    if (drop * 2 >= buf.length) {
      this.buf = buf.slice(drop);
      this.base += drop;
      this.cleared = 0;
      return;
    }
    // Copying the rest for a few dropped tokens would make a window on a long array
    // (TokenWindow.of) quadratic: they are cleared in place until they are the larger part.
    const slots = buf as (Token | undefined)[];
    for (let k = this.cleared; k < drop; k++) slots[k] = undefined;
    this.cleared = Math.max(this.cleared, drop);
  }

  /**
   * Replaces the data run at `i` by its tokens `from`..; with `all`, every later run is
   * expanded too (a parser that keeps giving up on runs reads them token by token).
   */
  expandRun(i: number, from: number, all: boolean): void {
    const buf = this.buf;
    const k = i - this.base;
    const run = buf[k]!.run!;
    if (from === run.count - 1) {
      buf[k] = run.token(from); // the common `}, b = ...` after a table: no copy
      return;
    }
    const tail = buf.slice(k + 1);
    buf.length = k;
    pushRun(buf, run, from);
    for (const t of tail) {
      if (all && t.kind === "run") pushRun(buf, t.run!, 0);
      else buf.push(t);
    }
    if (all) this.expandAll = true;
  }
}

function pushRun(toks: Token[], run: DataRun, from: number): void {
  for (let j = from; j < run.count; j++) toks.push(run.token(j));
}

/** A run read in place: the braced list of an initializer (`= {`). */
function isInitializerRun(prev: Token | undefined, run: Token): boolean {
  return prev?.kind === "punct" && prev.text === "=" && run.text === "{";
}
