// Standard output of a runtime's plugins: putchar/puts/printf write into a buffer that reaches
// the host's sink in chunks (on flush, when full, or when the runtime is destroyed), so a loop
// of putchar calls does not cost a host write per byte.

/** Where a runtime's output goes (the host's writer; default process.stdout / stderr). */
export type ByteSink = (bytes: Uint8Array) => void;

const OUT_BUFFER = 8192;

/** The buffered stdout of one runtime. It is not a stream: nothing is read back from it. */
export class OutputBuffer {
  private readonly out = new Uint8Array(OUT_BUFFER);
  private length = 0;

  constructor(public sink: ByteSink) {}

  write(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.out.length) {
      this.flush();
      if (bytes.length > this.out.length) {
        this.sink(bytes.slice());
        return;
      }
    }
    this.out.set(bytes, this.length);
    this.length += bytes.length;
  }

  writeByte(b: number): void {
    if (this.length === this.out.length) this.flush();
    this.out[this.length++] = b;
  }

  /** Hands what is buffered to the sink. */
  flush(): void {
    if (this.length === 0) return;
    const chunk = this.out.slice(0, this.length);
    this.length = 0;
    this.sink(chunk);
  }

  /** Drops what is buffered without writing it (the runtime was reset). */
  discard(): void {
    this.length = 0;
  }
}
