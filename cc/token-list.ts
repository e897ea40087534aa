// The preprocessor's output: an append-only token list built in fixed-size chunks and joined
// once at the end. Pushing young tokens one by one into a single huge (old-space) array costs
// V8 a remembered-set entry per push and a copy per growth; for the 450k tokens of the
// X-macro benchmark that is 13 ms against 5 ms in chunks (bench/compile-speed.ts).

import type { Token } from "./token.ts";

const CHUNK = 4096;

export class TokenList {
  private readonly full: Token[][] = [];
  private chunk: Token[] = [];
  /** Tokens in `full`. */
  private before = 0;
  /** Some token pushed is a data run (the parser then has runs to expand). */
  hasRuns = false;

  get length(): number {
    return this.before + this.chunk.length;
  }

  push(t: Token): void {
    if (t.kind === "run") this.hasRuns = true;
    if (this.chunk.length === CHUNK) {
      this.full.push(this.chunk);
      this.before += CHUNK;
      this.chunk = [];
    }
    this.chunk.push(t);
  }

  /** The last token, or undefined when empty. */
  last(): Token | undefined {
    const c = this.chunk.length > 0 ? this.chunk : this.full[this.full.length - 1];
    return c?.[c.length - 1];
  }

  /** Replaces the last token (there is one). */
  setLast(t: Token): void {
    const c = this.chunk.length > 0 ? this.chunk : this.full[this.full.length - 1];
    c[c.length - 1] = t;
  }

  /** Tokens `from`.. the end, as a new array. */
  slice(from: number): Token[] {
    // `chunk` starts at `before`: when it is full (not yet moved to `full`), `from` may be
    // `before + CHUNK`, whose chunk index is past every chunk there is.
    if (from >= this.before) return this.chunk.slice(from - this.before);
    const k = Math.floor(from / CHUNK);
    const rest = [...this.full.slice(k), this.chunk];
    return ([] as Token[]).concat(...rest).slice(from - k * CHUNK);
  }

  /** All tokens as one array (one bulk copy); the list is not used after this. */
  toArray(): Token[] {
    return ([] as Token[]).concat(...this.full, this.chunk);
  }
}
