// The <stdio.h> and <errno.h> built-ins of one runtime. Streams are the three standard ones,
// as `FILE *` values 1, 2 and 3 (include/stdio.h): stdout is the runtime's buffered output,
// stderr goes to its stderr sink unbuffered, stdin reads the runtime's input (stdin.ts; empty
// unless the host connects one, as `kplug run` does). Plugins have no filesystem: fopen fails
// with ENOENT (reading) or EACCES (writing). Any other FILE * fails with EBADF. The v* forms
// take the va_list where the plain forms take their variadic area: the same pointer (ABI in
// cc/module.ts), so each pair is one function.
//
// Costs (fuel units; see fuel.ts), n the bytes or characters handled:
//   printf family        200 a call + 100 a conversion + 1 per 8 characters stored (printf.ts),
//                        + 1 a byte written to stdout or stderr
//                        (%ls: 1 per wide character read)
//   sprintf              as snprintf; output past the end of memory faults (out-of-bounds)
// %lc/%ls (and %C/%S) convert through the "C" locale as glibc's: a non-ASCII wide character
// makes the call return -1 with errno EILSEQ (what was formatted before it is kept).
//   puts, fputs, fwrite  16 + n/8 (+ n written); putchar, fputc, getchar, fgetc, ungetc: none
//   fgets, fread         16 + n/8 per chunk of input copied (at most 64 KiB a chunk)
//   scanf family         400 a call + 200 a conversion + 2 per character consumed (scanf.ts;
//                        sscanf reads its string only as far as it consumes it)
//   fopen, perror        16 + n/8 for the strings read
// Memory: printf streams in chunks of 64 KiB, sprintf writes straight into plugin memory,
// stdin holds one 64 KiB buffer; nothing grows with a width, a count or the input's size.

import { errnoOf } from "./errno.ts";
import { HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";
import { bulkCost, HOST_COSTS } from "./fuel.ts";
import { makeStrEnd } from "./libc-string.ts";
import { cstrEnd, ENCODING_ERROR, formatPrintf, OutBuffer } from "./printf.ts";
import type { Runtime } from "./runtime.ts";
import { SCAN_CONVERSION_COST, type ScanInput, type ScanWindow, scanFormat } from "./scanf.ts";
import type { AnyFunction } from "./upcall.ts";

/** The `FILE *` values of the standard streams (include/stdio.h). */
const STDIN = 1;
const STDOUT = 2;
const STDERR = 3;
const EOF = -1;

/** errno values and their glibc messages (include/errno.h has the same numbers). */
const ERRNO_TEXT: Record<number, string> = {
  0: "Success",
  1: "Operation not permitted",
  2: "No such file or directory",
  4: "Interrupted system call",
  5: "Input/output error",
  9: "Bad file descriptor",
  11: "Resource temporarily unavailable",
  12: "Cannot allocate memory",
  13: "Permission denied",
  17: "File exists",
  22: "Invalid argument",
  24: "Too many open files",
  28: "No space left on device",
  33: "Numerical argument out of domain",
  34: "Numerical result out of range",
  75: "Value too large for defined data type",
  84: "Invalid or incomplete multibyte or wide character",
};
const ENOENT = 2;
const EBADF = 9;
const EACCES = 13;
const EILSEQ = 84;

/** printf's return value: glibc fails with -1 (EOVERFLOW) past INT_MAX characters. */
const printfResult = (total: number): number => (total > 0x7fffffff ? -1 : total);

/** Bytes of a string sscanf first looks at for its NUL (then 4× more each time, up to MAX). */
const SSCANF_WINDOW = 256;
const SSCANF_WINDOW_MAX = 64 << 10;

const nativeIndexOf = Buffer.prototype.indexOf as (
  this: Uint8Array,
  value: number,
  byteOffset: number,
) => number;

/** Bytes of formatting buffer kept between calls; a larger one is dropped after use. */
const FORMAT_BUFFER_KEEP = 64 << 10;

/**
 * sscanf's input: a string in plugin memory, read only as far as the conversions go (glibc's
 * strlen first is not). A window ends at the NUL or after SSCANF_WINDOW bytes, growing for
 * long strings. One per runtime, reused: a call allocates nothing for it.
 */
class StringInput implements ScanInput {
  private at = 0;
  private str = 0;
  private size = SSCANF_WINDOW;
  private u8: Uint8Array = new Uint8Array(0);

  constructor(private readonly views: Runtime["views"]) {}

  begin(str: number): void {
    this.u8 = this.views.fresh().u8;
    if (inNullPage(str)) throw nullPointerTrap("sscanf string", str);
    if (str >= this.u8.length) outOfBounds("sscanf string", str);
    this.at = this.str = str;
    this.size = SSCANF_WINDOW;
  }

  window(): ScanWindow | null {
    const { u8, at } = this;
    if (at >= u8.length) outOfBounds("unterminated sscanf string", this.str);
    const limit = Math.min(u8.length, at + this.size);
    this.size = Math.min(this.size * 4, SSCANF_WINDOW_MAX); // long strings: fewer searches
    const nul = nativeIndexOf.call(u8.subarray(0, limit), 0, at);
    const end = nul >= 0 ? nul : limit;
    return end === at ? null : { bytes: u8, start: at, end };
  }

  advance(n: number): void {
    this.at += n;
  }
}

function outOfBounds(what: string, at: number): never {
  throw new HostTrap("out-of-bounds", `${what} at address ${at >>> 0} is outside the memory`);
}

/** The stdio built-ins of one runtime (`undefined` only to list which functions exist). */
export function makeStdioFunctions(runtime: Runtime | undefined): Record<string, AnyFunction> {
  const rt = runtime as Runtime;
  const views = runtime?.views as Runtime["views"];
  const meter = runtime?.meter as Runtime["meter"];
  const stdin = runtime?.stdin as Runtime["stdin"];
  const strEnd = runtime ? makeStrEnd(runtime) : () => 0;
  // printf's work is reported in characters; fuel.ts converts (8 characters a unit).
  const fmtOut = new OutBuffer((chars) => meter.charge(Math.ceil(chars / HOST_COSTS.charsPerUnit)));
  const dropLargeBuffer = () => {
    if (fmtOut.bytes.length > FORMAT_BUFFER_KEEP) fmtOut.bytes = new Uint8Array(256);
  };

  // errno: shared with the other built-ins (kernel/errno.ts).
  const errno = runtime ? errnoOf(runtime) : undefined;
  const errnoLocation = (): number => (errno as NonNullable<typeof errno>).location();
  const setErrno = (code: number) => (errno as NonNullable<typeof errno>).set(code);

  /** Writes to stdout or stderr (output is I/O for the embedder: 1 unit a byte). */
  const toStdout = (bytes: Uint8Array) => {
    meter.charge(bytes.length * HOST_COSTS.stdoutPerByte);
    rt.writeOut(bytes);
  };
  const toStderr = (bytes: Uint8Array) => {
    meter.charge(bytes.length * HOST_COSTS.stdoutPerByte);
    rt.stderr(bytes.slice());
  };
  /** The writer of an output stream; undefined (errno EBADF) for anything else. */
  const writer = (f: number): ((bytes: Uint8Array) => void) | undefined => {
    if (f === STDOUT) return toStdout;
    if (f === STDERR) {
      rt.flush(); // what went to stdout before comes first, as on a terminal
      return toStderr;
    }
    setErrno(EBADF);
    return undefined;
  };
  const isStdin = (f: number): boolean => {
    if (f === STDIN) return true;
    setErrno(EBADF);
    return false;
  };

  /** Checks [p, p + n) lies in memory; returns p as an unsigned address. */
  const range = (p: number, n: number, what: string, write = false): number => {
    const at = p >>> 0;
    const access = { access: write ? "write" : "read", size: n, address: at } as const;
    if (n > 0 && inNullPage(at)) throw nullPointerTrap(what, at, access);
    if (at + n > views.fresh().u8.length) {
      throw new HostTrap(
        "out-of-bounds",
        `${what}: [${at}, ${at + n}) is outside the memory`,
        access,
      );
    }
    return at;
  };

  /** A printf that met an unconvertible wide character: -1 with errno EILSEQ, as glibc. */
  const encodingError = (): number => {
    setErrno(EILSEQ);
    return -1;
  };

  /** printf to a stream. */
  const streamPrintf = (out: (bytes: Uint8Array) => void, fmt: number, va: number): number => {
    const v = views.fresh();
    fmtOut.begin(Number.POSITIVE_INFINITY, out);
    let failed = false;
    try {
      failed = formatPrintf(v.u8, v.dv, fmt >>> 0, va >>> 0, fmtOut) === ENCODING_ERROR;
      fmtOut.settle();
      fmtOut.flush();
    } finally {
      dropLargeBuffer();
    }
    return failed ? encodingError() : printfResult(fmtOut.total);
  };

  const snprintf = (buf: number, size: number, fmt: number, va: number): number => {
    const n = size >>> 0;
    const at = n > 0 ? range(buf, n, "snprintf", true) : 0;
    const v = views.fresh();
    // Only what fits is built: a width of INT_MAX into a 4-byte buffer stores 3 characters.
    fmtOut.begin(n > 0 ? n - 1 : 0);
    let failed = false;
    try {
      failed = formatPrintf(v.u8, v.dv, fmt >>> 0, va >>> 0, fmtOut) === ENCODING_ERROR;
      fmtOut.settle();
      if (n > 0) {
        const u8 = views.fresh().u8;
        u8.set(fmtOut.view(), at);
        u8[at + fmtOut.length] = 0;
      }
    } finally {
      dropLargeBuffer();
    }
    return failed ? encodingError() : printfResult(fmtOut.total);
  };

  /** sprintf: no size, so the end of memory is the limit; written in place, chunk by chunk. */
  const sprintf = (buf: number, fmt: number, va: number): number => {
    const at = range(buf, 1, "sprintf", true);
    const v = views.fresh();
    let written = 0;
    const room = v.u8.length - at - 1;
    fmtOut.begin(room, (bytes) => {
      views.fresh().u8.set(bytes, at + written);
      written += bytes.length;
    });
    let failed = false;
    try {
      failed = formatPrintf(v.u8, v.dv, fmt >>> 0, va >>> 0, fmtOut) === ENCODING_ERROR;
      fmtOut.settle();
      fmtOut.flush();
    } finally {
      dropLargeBuffer();
    }
    if (fmtOut.total > room) {
      throw new HostTrap(
        "out-of-bounds",
        `sprintf: ${fmtOut.total} characters at address ${at} run past the end of memory`,
      );
    }
    views.fresh().u8[at + written] = 0;
    return failed ? encodingError() : printfResult(fmtOut.total);
  };

  /** Writes the bytes [p, p + n) of plugin memory to a stream. */
  const writeRange = (out: (bytes: Uint8Array) => void, p: number, n: number) => {
    meter.charge(bulkCost(n));
    out(views.fresh().u8.subarray(p, p + n));
  };

  const stdinInput: ScanInput = {
    window: () => stdin.window(),
    advance: (n) => stdin.advance(n),
  };

  /** scanf over `input` with the format at `fmt` and the pointers at `va`. */
  const scan = (input: ScanInput, fmt: number, va: number): number => {
    const u8 = views.fresh().u8;
    const end = cstrEnd(u8, fmt >>> 0);
    meter.charge(2 * SCAN_CONVERSION_COST + Math.floor((end - (fmt >>> 0)) / 8));
    const v = views.fresh();
    return scanFormat(v.u8, v.dv, fmt >>> 0, end, va >>> 0, input, (n) => meter.charge(n));
  };

  const stringInput = new StringInput(views);
  const sscanf = (str: number, fmt: number, va: number): number => {
    stringInput.begin(str >>> 0);
    return scan(stringInput, fmt, va);
  };
  const fscanf = (f: number, fmt: number, va: number): number =>
    isStdin(f) ? scan(stdinInput, fmt, va) : EOF;

  const fputc = (c: number, f: number): number => {
    if (f === STDOUT) rt.writeOutByte(c & 0xff);
    else {
      const out = writer(f);
      if (!out) return EOF;
      out(Uint8Array.of(c & 0xff));
    }
    return c & 0xff;
  };
  const fgetc = (f: number): number => (isStdin(f) ? stdin.get() : EOF);

  const fns: Record<string, AnyFunction> = {
    printf: (fmt: number, va: number) => streamPrintf(toStdout, fmt, va),
    fprintf: (f: number, fmt: number, va: number) => {
      const out = writer(f);
      return out ? streamPrintf(out, fmt, va) : EOF;
    },
    sprintf,
    snprintf,
    putchar: (c: number) => {
      rt.writeOutByte(c & 0xff);
      return c & 0xff;
    },
    puts: (s: number) => {
      const end = strEnd(s);
      const n = end - (s >>> 0);
      meter.charge(n * HOST_COSTS.stdoutPerByte);
      rt.writeOut(views.u8.subarray(s >>> 0, end));
      rt.writeOutByte(10);
      return Math.min(n + 1, 0x7fffffff);
    },
    fputc,
    putc: fputc,
    fputs: (s: number, f: number) => {
      const end = strEnd(s);
      const out = writer(f);
      if (!out) return EOF;
      writeRange(out, s >>> 0, end - (s >>> 0));
      return 1; // glibc's non-negative success value
    },
    fwrite: (p: number, size: number, count: number, f: number) => {
      const n = (size >>> 0) * (count >>> 0);
      if (n === 0) return 0;
      const at = range(p, n, "fwrite");
      const out = writer(f);
      if (!out) return 0;
      writeRange(out, at, n);
      return count >>> 0;
    },
    fflush: (f: number) => {
      if (f === 0 || f === STDOUT) rt.flush();
      else if (f !== STDIN && f !== STDERR) {
        setErrno(EBADF);
        return EOF;
      }
      return 0;
    },
    getchar: () => stdin.get(),
    fgetc,
    getc: fgetc,
    ungetc: (c: number, f: number) => {
      if (c === EOF || !isStdin(f)) return EOF;
      return stdin.unget(c) ? c & 0xff : EOF;
    },
    fgets: (s: number, n: number, f: number) => {
      if (n <= 0 || !isStdin(f)) return 0;
      const at = s >>> 0;
      if (n === 1) {
        views.fresh().u8[range(at, 1, "fgets", true)] = 0;
        return at;
      }
      let got = 0;
      let last = -1;
      while (got < n - 1 && last !== 10) {
        const chunk = stdin.takeUntil(n - 1 - got, 10);
        if (chunk.length === 0) break;
        meter.charge(bulkCost(chunk.length));
        views.fresh().u8.set(chunk, range(at + got, chunk.length, "fgets", true));
        got += chunk.length;
        last = chunk[chunk.length - 1]!;
      }
      if (got === 0) return 0;
      views.fresh().u8[range(at + got, 1, "fgets", true)] = 0;
      return at;
    },
    fread: (p: number, size: number, count: number, f: number) => {
      const sz = size >>> 0;
      const want = sz * (count >>> 0);
      if (want === 0 || !isStdin(f)) return 0;
      const at = p >>> 0;
      let got = 0;
      while (got < want) {
        const chunk = stdin.take(Math.min(want - got, 1 << 30));
        if (chunk.length === 0) break;
        meter.charge(bulkCost(chunk.length));
        views.fresh().u8.set(chunk, range(at + got, chunk.length, "fread", true));
        got += chunk.length;
      }
      return Math.floor(got / sz);
    },
    feof: (f: number) => (f === STDIN && stdin.eof ? 1 : 0),
    ferror: (f: number) => (f === STDIN && stdin.error ? 1 : 0),
    clearerr: (f: number) => {
      if (f === STDIN) stdin.clear();
    },
    fopen: (path: number, mode: number) => {
      const pathEnd = strEnd(path);
      const modeEnd = strEnd(mode);
      meter.charge(bulkCost(pathEnd - (path >>> 0) + modeEnd - (mode >>> 0)));
      const u8 = views.fresh().u8;
      const reading = u8[mode >>> 0] === 0x72 && !u8.subarray(mode >>> 0, modeEnd).includes(0x2b);
      setErrno(reading ? ENOENT : EACCES);
      return 0;
    },
    fclose: (f: number) => {
      if (f === STDOUT) rt.flush();
      if (f === STDIN || f === STDOUT || f === STDERR) return 0;
      setErrno(EBADF);
      return EOF;
    },
    perror: (s: number) => {
      const code = views.fresh().dv.getInt32(errnoLocation(), true);
      const text = ERRNO_TEXT[code] ?? `Unknown error ${code}`;
      let prefix = "";
      if (s !== 0) {
        const end = strEnd(s);
        meter.charge(bulkCost(end - (s >>> 0)));
        if (end > s >>> 0) prefix = `${rt.readString(s >>> 0)}: `;
      }
      rt.flush();
      toStderr(new TextEncoder().encode(`${prefix}${text}\n`));
    },
    scanf: (fmt: number, va: number) => scan(stdinInput, fmt, va),
    fscanf,
    sscanf,
    __errno_location: errnoLocation,
  };
  // The va_list forms: the same pointer in the same place.
  fns.vprintf = fns.printf!;
  fns.vfprintf = fns.fprintf!;
  fns.vsprintf = sprintf;
  fns.vsnprintf = snprintf;
  fns.vscanf = fns.scanf!;
  fns.vfscanf = fscanf;
  fns.vsscanf = sscanf;
  return fns;
}
