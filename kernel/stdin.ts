// Standard input of a runtime's plugins: bytes come from the host's source (kplug run: the
// process's stdin; the server gives none, so plugins see an empty input) through a fixed-size
// buffer, so a plugin reading a huge input never makes the host hold more than CHUNK bytes.
// EOF is sticky until clearerr(), as in glibc since 2.28.

/**
 * Where a runtime's stdin comes from: fills `into` with up to `into.length` bytes and returns
 * how many it wrote; 0 means the end of the input. It is called synchronously.
 */
export type ByteSource = (into: Uint8Array) => number;

/** Bytes read from the source at a time (the only host memory stdin uses). */
const CHUNK = 64 << 10;
/** Bytes ungetc can push back (C guarantees one; glibc a few). */
const PUSHBACK_MAX = 4;

export class InputStream {
  private buffer: Uint8Array | undefined;
  private pos = 0;
  private end = 0;
  private readonly pushed: number[] = [];
  private readonly pushedWindow = new Uint8Array(1);
  /** The end of the input was reached (feof). */
  eof = false;
  /** The source failed (ferror). */
  error = false;

  constructor(public source: ByteSource | undefined) {}

  /** Whether bytes are buffered, reading more if there are none; false at the end of input. */
  private fill(): boolean {
    if (this.pos < this.end) return true;
    if (this.eof || !this.source) {
      this.eof = true;
      return false;
    }
    this.buffer ??= new Uint8Array(CHUNK);
    let n: number;
    try {
      n = this.source(this.buffer);
    } catch {
      this.error = true;
      return false;
    }
    if (!(n > 0)) {
      this.eof = true;
      return false;
    }
    this.pos = 0;
    this.end = Math.min(n, CHUNK);
    return true;
  }

  /** The next byte without consuming it; -1 at the end of input. */
  peek(): number {
    if (this.pushed.length > 0) return this.pushed[this.pushed.length - 1]!;
    return this.fill() ? this.buffer![this.pos]! : -1;
  }

  /** Consumes and returns the next byte; -1 at the end of input. */
  get(): number {
    if (this.pushed.length > 0) return this.pushed.pop()!;
    return this.fill() ? this.buffer![this.pos++]! : -1;
  }

  /** ungetc: pushes `b` back (clearing EOF); false when the pushback is full. */
  unget(b: number): boolean {
    if (this.pushed.length >= PUSHBACK_MAX) return false;
    this.pushed.push(b & 0xff);
    this.eof = false;
    return true;
  }

  /**
   * Up to `max` bytes available now (pushed-back bytes first, one at a time), consumed; an
   * empty array at the end of input. For bulk reads (fread, fgets).
   */
  take(max: number): Uint8Array {
    if (max <= 0) return EMPTY;
    if (this.pushed.length > 0) return Uint8Array.of(this.pushed.pop()!);
    if (!this.fill()) return EMPTY;
    const n = Math.min(max, this.end - this.pos);
    const bytes = this.buffer!.subarray(this.pos, this.pos + n);
    this.pos += n;
    return bytes;
  }

  /** Like `take`, but stops after the first `stop` byte (fgets' newline). */
  takeUntil(max: number, stop: number): Uint8Array {
    if (max <= 0) return EMPTY;
    if (this.pushed.length > 0) return Uint8Array.of(this.pushed.pop()!);
    if (!this.fill()) return EMPTY;
    const limit = Math.min(this.end, this.pos + max);
    const at = this.buffer!.subarray(0, limit).indexOf(stop, this.pos);
    const stopAt = at < 0 ? limit : at + 1;
    const bytes = this.buffer!.subarray(this.pos, stopAt);
    this.pos = stopAt;
    return bytes;
  }

  /** The bytes available now, for a scanner (see `advance`); null at the end of input. */
  window(): { bytes: Uint8Array; start: number; end: number } | null {
    if (this.pushed.length > 0) {
      this.pushedWindow[0] = this.pushed[this.pushed.length - 1]!;
      return { bytes: this.pushedWindow, start: 0, end: 1 };
    }
    if (!this.fill()) return null;
    return { bytes: this.buffer!, start: this.pos, end: this.end };
  }

  /** Consumes `n` bytes of the last `window`. */
  advance(n: number): void {
    if (this.pushed.length > 0) this.pushed.pop();
    else this.pos += n;
  }

  /** clearerr. */
  clear(): void {
    this.eof = false;
    this.error = false;
  }
}

const EMPTY = new Uint8Array(0);
