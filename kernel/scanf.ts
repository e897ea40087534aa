// The scanf family's conversions with glibc's results: %d %i %u %o %x %X %p (strtol/strtoul
// rules: out-of-range values clamp), %f %e %g %a and their capitals (decimal, hex, inf, nan;
// correctly rounded), %c %s %[...] %n %%, widths, `*` suppression, and the length
// modifiers hh h l ll j z t L q. The arguments are pointers in the variadic area (cc/stdarg.ts).
//
// Bounded: every character consumed is charged (SCAN_CHAR_COST, fuel.ts), numbers keep at most a few
// hundred significant digits whatever their length (the rest only decides rounding), and
// strings go straight to plugin memory, bounds-checked byte by byte. So neither a huge width
// nor a huge input makes the host allocate or work more than the plugin pays for.

import { HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";

/** Bytes of input available at once: [start, end) of `bytes`, never empty. */
export interface ScanWindow {
  bytes: Uint8Array;
  start: number;
  end: number;
}

/**
 * Where the characters come from (a string in plugin memory, or stdin), a window at a time so
 * the scanner's inner loops index an array instead of calling back per character.
 */
export interface ScanInput {
  /** The bytes from the current position; null at the end of input. */
  window(): ScanWindow | null;
  /** Consumes the first `n` bytes of the last window. */
  advance(n: number): void;
}

/**
 * Work charged per conversion and twice per call, in fuel units. A loop of sscanf("%d%n")
 * took 3-4x a compiled loop iteration's time per unit at 100 (loaded 2-core machine, tsx);
 * at 200 it takes 1.6-1.7x, the ratio the printf family has for its shortest calls.
 */
export const SCAN_CONVERSION_COST = 200;
/**
 * Fuel units per character consumed. JS byte loops over a wasm memory's buffer ran at 2-3x
 * the time of a compiled loop iteration (13 ns against 5 on the loaded 2-core machine; the
 * %s loop ~20 ns before it kept its window in locals), so a character costs 2.
 */
export const SCAN_CHAR_COST = 2;
/** Significant decimal digits kept of a number; the rest only decides rounding. */
const MAX_DIGITS = 800;
/** Exponents beyond this (in magnitude) are all the same to a double. */
const EXP_CLAMP = 1_000_000_000;

const EOF = -1;
const NO_BYTES = new Uint8Array(0);

/** The bytes %s accepts: all but white space. */
const NOT_SPACE = new Uint8Array(256).fill(1);
for (const c of [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]) NOT_SPACE[c] = 0;

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a) return l - 0x61 + 10;
  return 99;
}

function outOfBounds(what: string, at: number): never {
  throw new HostTrap("out-of-bounds", `${what} at address ${at >>> 0} is outside the memory`);
}

/** Stops the scan: the value is what scanf returns. */
class Stop {
  constructor(readonly input: boolean) {}
}

class Scanner {
  /** Characters consumed (%n). */
  consumed = 0;
  private charged = 0;
  private bytes: Uint8Array = NO_BYTES;
  private start = 0;
  private i = 0;
  private end = 0;
  private ended = false;

  constructor(
    private readonly input: ScanInput,
    private readonly charge: (units: number) => void,
  ) {}

  peek(): number {
    return this.i < this.end ? this.bytes[this.i]! : this.refill();
  }

  /** Consumes the byte `peek` returned (never called after EOF). */
  next(): void {
    this.i++;
    this.consumed++;
  }

  /** Hands the consumed part of the window back, charges it, and takes the next window. */
  private refill(): number {
    if (this.ended) return EOF;
    this.finish();
    const w = this.input.window();
    if (!w) {
      this.ended = true;
      return EOF;
    }
    this.bytes = w.bytes;
    this.start = this.i = w.start;
    this.end = w.end;
    return this.bytes[this.i]!;
  }

  /** Commits what was consumed to the input and charges it (SCAN_CHAR_COST a character). */
  finish(): void {
    if (this.i > this.start) {
      this.input.advance(this.i - this.start);
      this.start = this.i;
    }
    if (this.consumed > this.charged) {
      this.charge((this.consumed - this.charged) * SCAN_CHAR_COST);
      this.charged = this.consumed;
    }
  }

  /**
   * Consumes up to `max` bytes that are in `set` (a 256-entry table, 1 = accept), storing them
   * at `dst` of `out` unless `out` is undefined; returns how many. The hot loop of %s and %[.
   */
  takeSet(max: number, set: Uint8Array, out: Uint8Array | undefined, dst: number): number {
    let n = 0;
    while (n < max) {
      if (this.i >= this.end && this.refill() === EOF) break;
      // One window at a time, in locals: ~2x faster than through the fields.
      const bytes = this.bytes;
      const from = this.i;
      const stop = Math.min(this.end, from + (max - n));
      let i = from;
      if (out) {
        if (dst + n + (stop - from) > out.length) {
          for (; i < stop && set[bytes[i]!] !== 0; i++) {
            if (dst + n + (i - from) >= out.length) {
              outOfBounds("scanf destination", dst + n + (i - from));
            }
            out[dst + n + (i - from)] = bytes[i]!;
          }
        } else {
          for (; i < stop && set[bytes[i]!] !== 0; i++) out[dst + n + (i - from)] = bytes[i]!;
        }
      } else {
        while (i < stop && set[bytes[i]!] !== 0) i++;
      }
      this.i = i;
      this.consumed += i - from;
      n += i - from;
      if (i < stop) break;
    }
    return n;
  }

  skipSpace(): void {
    while (isSpace(this.peek())) this.next();
  }

  /** Consumes `c` (any case) if it is next and the width allows. */
  eatLetter(c: number, width: { n: number }): boolean {
    if (width.n <= 0 || (this.peek() | 0x20) !== c) return false;
    this.next();
    width.n--;
    return true;
  }
}

/**
 * An integer's sign and magnitude: a number while it is below 2^53 (the common case, no
 * BigInt work), else `big` (capped: anything past 2^65 is the same overflow).
 */
interface ScannedInteger {
  negative: boolean;
  magnitude: number;
  big: bigint | undefined;
}

/** The digits of an integer in `base` (0: decide from the prefix, as %i); null on no digits. */
function scanInteger(s: Scanner, base: number, width: { n: number }): ScannedInteger | null {
  let negative = false;
  const c = s.peek();
  if (width.n > 0 && (c === 0x2b || c === 0x2d)) {
    negative = c === 0x2d;
    s.next();
    width.n--;
  }
  let sawDigit = false;
  if ((base === 0 || base === 16) && width.n > 0 && s.peek() === 0x30) {
    s.next();
    width.n--;
    sawDigit = true;
    if (width.n > 0 && (s.peek() | 0x20) === 0x78) {
      s.next();
      width.n--;
      base = 16; // "0x" with no hex digit after it reads as 0, as in glibc
    } else if (base === 0) base = 8;
  }
  if (base === 0) base = 10;
  let magnitude = 0;
  let digits: string | undefined; // the digits once the magnitude passes 2^53
  while (width.n > 0) {
    const d = digitValue(s.peek());
    if (d >= base) break;
    sawDigit = true;
    if (digits === undefined) {
      const next = magnitude * base + d;
      if (next <= Number.MAX_SAFE_INTEGER) magnitude = next;
      else digits = magnitude.toString(base) + d.toString(base);
    } else if (digits.length < 70) digits += d.toString(base);
    s.next();
    width.n--;
  }
  if (!sawDigit) return null;
  if (digits === undefined) return { negative, magnitude, big: undefined };
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : "";
  const big = BigInt(prefix + digits);
  return { negative, magnitude: Number.POSITIVE_INFINITY, big: big > 1n << 65n ? 1n << 65n : big };
}

/** strtol/strtoul for 32 bits (ILP32 long): out-of-range values clamp, negative unsigned wrap. */
function value32(v: ScannedInteger, signed: boolean): number {
  const m = v.magnitude; // Infinity when past 2^53: clamps like any overflow
  if (signed) {
    if (v.negative) return m > 2 ** 31 ? -(2 ** 31) : -m;
    return Math.min(m, 2 ** 31 - 1);
  }
  if (m > 2 ** 32 - 1) return 2 ** 32 - 1;
  return v.negative && m !== 0 ? 2 ** 32 - m : m;
}

/** strtoll/strtoull: the same for 64 bits. */
function value64(v: ScannedInteger, signed: boolean): bigint {
  const m = v.big ?? BigInt(v.magnitude);
  if (signed) {
    const max = (1n << 63n) - 1n;
    if (v.negative) return m > max + 1n ? -max - 1n : -m;
    return m > max ? max : m;
  }
  const max = (1n << 64n) - 1n;
  if (m > max) return max;
  return v.negative ? BigInt.asUintN(64, -m) : m;
}

/**
 * A floating-point number as strtod (or, `single`, strtof) reads it, rounded once; null when
 * the text is not one.
 */
function scanFloat(s: Scanner, width: { n: number }, single: boolean): number | null {
  let negative = false;
  const c = s.peek();
  if (width.n > 0 && (c === 0x2b || c === 0x2d)) {
    negative = c === 0x2d;
    s.next();
    width.n--;
  }
  const signed = (x: number) => (negative ? -x : x);
  const first = s.peek() | 0x20;
  if (first === 0x69 /* i */) {
    for (const l of "inf") if (!s.eatLetter(l.charCodeAt(0), width)) return null;
    if (s.eatLetter(0x69, width)) {
      for (const l of "nity") if (!s.eatLetter(l.charCodeAt(0), width)) return null;
    }
    return signed(Number.POSITIVE_INFINITY);
  }
  if (first === 0x6e /* n */) {
    // glibc's scanf stops after "nan": a "(chars)" suffix is left for the next conversion.
    for (const l of "nan") if (!s.eatLetter(l.charCodeAt(0), width)) return null;
    return signed(Number.NaN);
  }
  let hex = false;
  let sawDigit = false;
  if (width.n > 0 && s.peek() === 0x30) {
    s.next();
    width.n--;
    sawDigit = true;
    if (width.n > 0 && (s.peek() | 0x20) === 0x78) {
      s.next();
      width.n--;
      hex = true;
      sawDigit = false;
    }
  }
  const base = hex ? 16 : 10;
  let sig = "";
  let scale = 0; // the value is sig * base^scale (before the exponent)
  let sticky = false;
  const digit = (d: number, fraction: boolean) => {
    sawDigit = true;
    if (sig.length === 0 && d === 0) {
      if (fraction) scale--;
    } else if (sig.length < MAX_DIGITS) {
      sig += d.toString(base);
      if (fraction) scale--;
    } else {
      if (!fraction) scale++;
      if (d !== 0) sticky = true;
    }
    s.next();
    width.n--;
  };
  while (width.n > 0 && digitValue(s.peek()) < base) digit(digitValue(s.peek()), false);
  if (width.n > 0 && s.peek() === 0x2e) {
    s.next();
    width.n--;
    while (width.n > 0 && digitValue(s.peek()) < base) digit(digitValue(s.peek()), true);
  }
  if (!sawDigit) return null;
  let exp = 0;
  const marker = hex ? 0x70 : 0x65; // p or e
  if (width.n > 0 && (s.peek() | 0x20) === marker) {
    s.next();
    width.n--;
    let expNegative = false;
    const sc = s.peek();
    if (width.n > 0 && (sc === 0x2b || sc === 0x2d)) {
      expNegative = sc === 0x2d;
      s.next();
      width.n--;
    }
    // An exponent marker without digits is consumed and ignored, as in glibc ("12.5e").
    while (width.n > 0 && digitValue(s.peek()) < 10) {
      exp = Math.min(exp * 10 + digitValue(s.peek()), EXP_CLAMP);
      s.next();
      width.n--;
    }
    if (expNegative) exp = -exp;
  }
  if (sig.length === 0) return signed(0);
  if (sticky) {
    sig += "1";
    scale--;
  }
  // The exact value is sig * base^scale * (10 or 2)^exp. Number() of a decimal string rounds
  // it once to double (V8's strtod); for hex, Number() of the integer rounds and the power of
  // two is exact in the normal range.
  const d = hex
    ? ldexp(Number(BigInt(`0x${sig}`)), exp + 4 * scale)
    : Number(`${sig}e${exp + scale}`);
  if (!single) return signed(d);
  return signed(
    roundToFloat(d, () => {
      const m = BigInt(hex ? `0x${sig}` : sig);
      const k = hex ? exp + 4 * scale : exp + scale;
      const p = hex ? 2n : 10n;
      return k >= 0 ? { num: m * p ** BigInt(k), den: 1n } : { num: m, den: p ** BigInt(-k) };
    }),
  );
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/**
 * The float nearest the exact value x ≥ 0, given d = x rounded to double. Rounding d again
 * errs only when d is exactly halfway between two floats (a float midpoint is a double, so x
 * and d cannot lie on different sides of one); then x itself decides, compared exactly.
 */
function roundToFloat(d: number, exact: () => { num: bigint; den: bigint }): number {
  const f = Math.fround(d);
  if (f === d || !Number.isFinite(d)) return f;
  f32[0] = f;
  u32[0] = d > f ? u32[0]! + 1 : u32[0]! - 1;
  const other = f32[0]!;
  const lower = Math.min(f, other);
  const upper = Math.max(f, other);
  // Past FLT_MAX the next "float" is 2^128: the midpoint that decides overflow.
  const mid = (lower + (upper === Number.POSITIVE_INFINITY ? 2 ** 128 : upper)) / 2;
  if (d !== mid) return f;
  const x = exact();
  f64[0] = mid;
  const bits = u64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const mant = (bits & 0xfffffffffffffn) | (biased === 0 ? 0n : 1n << 52n);
  const e2 = (biased === 0 ? 1 : biased) - 1075;
  // Compare x.num / x.den with mant * 2^e2.
  const left = e2 < 0 ? x.num << BigInt(-e2) : x.num;
  const right = e2 < 0 ? mant * x.den : (mant << BigInt(e2)) * x.den;
  if (left > right) return upper;
  if (left < right) return lower;
  return f; // exactly halfway: fround's ties-to-even is right
}

function ldexp(x: number, e: number): number {
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  return x * 2 ** e;
}

/**
 * Scans `input` by the format in [fmt, fmtEnd) of `u8`, storing through the pointers in the
 * variadic area at `argPtr`. Returns scanf's result: the number of assignments, or EOF when the
 * input ended before the first one.
 */
export function scanFormat(
  u8: Uint8Array,
  dv: DataView,
  fmt: number,
  fmtEnd: number,
  argPtr: number,
  input: ScanInput,
  charge: (units: number) => void,
): number {
  const s = new Scanner(input, charge);
  let assigned = 0;
  let arg = argPtr;
  const nextPointer = (): number => {
    if (arg <= 0 || arg + 4 > dv.byteLength) outOfBounds("scanf argument", arg);
    const p = dv.getUint32(arg, true);
    arg += 4;
    return p;
  };
  const checked = (p: number, size: number): number => {
    if (inNullPage(p)) throw nullPointerTrap("scanf destination", p);
    if (p + size > dv.byteLength) outOfBounds("scanf destination", p);
    return p;
  };
  try {
    let i = fmt;
    while (i < fmtEnd) {
      const f = u8[i]!;
      if (isSpace(f)) {
        while (i < fmtEnd && isSpace(u8[i]!)) i++;
        s.skipSpace();
        continue;
      }
      if (f !== 0x25 || u8[i + 1] === 0x25) {
        if (f === 0x25) {
          i++;
          s.skipSpace();
        }
        const c = s.peek();
        if (c === EOF) throw new Stop(true);
        if (c !== f) throw new Stop(false);
        s.next();
        i++;
        continue;
      }
      i++;
      charge(SCAN_CONVERSION_COST);
      let suppress = false;
      if (u8[i] === 0x2a) {
        suppress = true;
        i++;
      }
      let width = 0;
      while (i < fmtEnd && u8[i]! >= 0x30 && u8[i]! <= 0x39) {
        width = Math.min(width * 10 + u8[i++]! - 0x30, 2 ** 32);
      }
      let length = "";
      const l0 = u8[i];
      if (l0 === 0x68 || l0 === 0x6c) {
        length = String.fromCharCode(l0);
        i++;
        if (u8[i] === l0) {
          length += length;
          i++;
        }
      } else if (l0 === 0x4c || l0 === 0x71 || l0 === 0x6a || l0 === 0x7a || l0 === 0x74) {
        length = String.fromCharCode(l0);
        i++;
      }
      if (i >= fmtEnd) break;
      const conv = u8[i++]!;
      const w = { n: width > 0 ? width : Number.POSITIVE_INFINITY };
      const wide = length === "ll" || length === "L" || length === "q" || length === "j";
      switch (conv) {
        case 0x6e: {
          // %n
          if (!suppress) {
            const p = nextPointer();
            if (wide) dv.setBigInt64(checked(p, 8), BigInt(s.consumed), true);
            else storeInt(dv, checked, p, length, s.consumed);
          }
          break;
        }
        case 0x63: {
          // %c
          const n = width > 0 ? width : 1;
          if (s.peek() === EOF) throw new Stop(true);
          const dst = suppress ? 0 : nextPointer();
          for (let k = 0; k < n; k++) {
            const c = s.peek();
            if (c === EOF) break;
            if (!suppress) u8[checked(dst + k, 1)] = c;
            s.next();
          }
          if (!suppress) assigned++;
          break;
        }
        case 0x73:
        case 0x5b: {
          // %s and %[...]
          let set: Uint8Array | undefined;
          if (conv === 0x5b) {
            const parsed = parseSet(u8, i, fmtEnd);
            if (!parsed) throw new Stop(false);
            set = parsed.set;
            i = parsed.next;
          } else s.skipSpace();
          if (s.peek() === EOF) throw new Stop(true);
          const dst = suppress ? 0 : nextPointer();
          if (!suppress && inNullPage(dst)) throw nullPointerTrap("scanf destination", dst);
          const k = s.takeSet(w.n, set ?? NOT_SPACE, suppress ? undefined : u8, dst);
          if (k === 0) throw new Stop(false);
          if (!suppress) {
            u8[checked(dst + k, 1)] = 0;
            assigned++;
          }
          break;
        }
        case 0x64:
        case 0x69:
        case 0x75:
        case 0x6f:
        case 0x78:
        case 0x58:
        case 0x70: {
          // %d %i %u %o %x %X %p
          s.skipSpace();
          if (s.peek() === EOF) throw new Stop(true);
          const base =
            conv === 0x64 || conv === 0x75 ? 10 : conv === 0x69 ? 0 : conv === 0x6f ? 8 : 16;
          const v = scanInteger(s, base, w);
          if (!v) throw new Stop(false);
          if (suppress) break;
          const signed = conv === 0x64 || conv === 0x69;
          if (wide && conv !== 0x70) {
            dv.setBigInt64(checked(nextPointer(), 8), BigInt.asIntN(64, value64(v, signed)), true);
          } else
            storeInt(dv, checked, nextPointer(), conv === 0x70 ? "" : length, value32(v, signed));
          assigned++;
          break;
        }
        case 0x66:
        case 0x46:
        case 0x65:
        case 0x45:
        case 0x67:
        case 0x47:
        case 0x61:
        case 0x41: {
          // %f %F %e %E %g %G %a %A
          s.skipSpace();
          if (s.peek() === EOF) throw new Stop(true);
          const double = length === "l" || length === "L" || length === "ll";
          const x = scanFloat(s, w, !double);
          if (x === null) throw new Stop(false);
          if (suppress) break;
          const p = nextPointer();
          if (double) {
            dv.setFloat64(checked(p, 8), x, true);
          } else dv.setFloat32(checked(p, 4), x, true);
          assigned++;
          break;
        }
        default:
          // An unknown conversion ends the scan, as in glibc.
          throw new Stop(false);
      }
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    s.finish();
    return e.input && assigned === 0 ? EOF : assigned;
  }
  s.finish();
  return assigned;
}

/** Stores a 32-bit value (truncated to the width `length` asks: hh, h, or int/long). */
function storeInt(
  dv: DataView,
  checked: (p: number, size: number) => number,
  p: number,
  length: string,
  value: number,
): void {
  if (length === "hh") dv.setInt8(checked(p, 1), (value << 24) >> 24);
  else if (length === "h") dv.setInt16(checked(p, 2), (value << 16) >> 16, true);
  else dv.setInt32(checked(p, 4), value | 0, true);
}

/** The set of a %[...] conversion starting after `[`; null when its `]` is missing. */
function parseSet(
  u8: Uint8Array,
  start: number,
  end: number,
): { set: Uint8Array; next: number } | null {
  const set = new Uint8Array(256);
  let i = start;
  let negate = false;
  if (u8[i] === 0x5e) {
    negate = true;
    i++;
  }
  const from = i;
  for (; i < end; i++) {
    const c = u8[i]!;
    if (c === 0x5d && i > from) break;
    if (c === 0x2d && i > from && i + 1 < end && u8[i + 1] !== 0x5d) {
      const lo = u8[i - 1]!;
      const hi = u8[i + 1]!;
      for (let x = lo; x <= hi; x++) set[x] = 1;
      i++;
      continue;
    }
    set[c] = 1;
  }
  if (i >= end) return null;
  if (negate) for (let x = 0; x < 256; x++) set[x] = set[x] ? 0 : 1;
  return { set, next: i + 1 };
}
