// The scanf family's conversions with glibc's results: %d %i %u %o %x %X %p (strtol/strtoul
// rules: out-of-range values clamp), %f %e %g %a and their capitals (decimal, hex, inf, nan;
// correctly rounded for double), %c %s %[...] %n %%, widths, `*` suppression, and the length
// modifiers hh h l ll j z t L q. The arguments are pointers in the variadic area (cc/stdarg.ts).
//
// Bounded: every character consumed is charged (1 unit, fuel.ts), numbers keep at most a few
// hundred significant digits whatever their length (the rest only decides rounding), and
// strings go straight to plugin memory, bounds-checked byte by byte. So neither a huge width
// nor a huge input makes the host allocate or work more than the plugin pays for.

import { HostTrap } from "./faults.ts";

/** Where the characters come from: a string in plugin memory, or stdin. */
export interface ScanInput {
  /** The next byte without consuming it; -1 at the end of input. */
  peek(): number;
  /** Consumes the byte `peek` returned. */
  next(): void;
}

/** Work charged per conversion, in fuel units (like a printf conversion). */
export const SCAN_CONVERSION_COST = 100;
/** Characters consumed between two charges to the meter. */
const CHARGE_EVERY = 4096;
/** Significant decimal digits kept of a number; the rest only decides rounding. */
const MAX_DIGITS = 800;
/** Exponents beyond this (in magnitude) are all the same to a double. */
const EXP_CLAMP = 1_000_000_000;

const EOF = -1;

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
  private uncharged = 0;

  constructor(
    private readonly input: ScanInput,
    private readonly charge: (units: number) => void,
  ) {}

  peek(): number {
    return this.input.peek();
  }

  next(): void {
    this.input.next();
    this.consumed++;
    if (++this.uncharged >= CHARGE_EVERY) this.settle();
  }

  settle(): void {
    if (this.uncharged > 0) this.charge(this.uncharged);
    this.uncharged = 0;
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

/** An integer's sign and magnitude (capped: anything past 2^64 is the same overflow). */
interface ScannedInteger {
  negative: boolean;
  magnitude: bigint;
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
  let digits = "";
  while (width.n > 0) {
    const d = digitValue(s.peek());
    if (d >= base) break;
    sawDigit = true;
    if (digits.length > 0 || d !== 0) {
      if (digits.length < 70) digits += d.toString(base);
    }
    s.next();
    width.n--;
  }
  if (!sawDigit) return null;
  if (digits.length === 0) return { negative, magnitude: 0n };
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : "";
  const magnitude = BigInt(prefix + digits);
  return { negative, magnitude: magnitude > 1n << 65n ? 1n << 65n : magnitude };
}

/** strtol/strtoll for `bits`: out-of-range values clamp. */
function signedValue(v: ScannedInteger, bits: number): bigint {
  const max = (1n << BigInt(bits - 1)) - 1n;
  if (v.negative) return v.magnitude > max + 1n ? -max - 1n : -v.magnitude;
  return v.magnitude > max ? max : v.magnitude;
}

/** strtoul/strtoull for `bits`: too large is the maximum; a negative value wraps. */
function unsignedValue(v: ScannedInteger, bits: number): bigint {
  const max = (1n << BigInt(bits)) - 1n;
  if (v.magnitude > max) return max;
  return v.negative ? BigInt.asUintN(bits, -v.magnitude) : v.magnitude;
}

/** A floating-point number as strtod reads it; null when the text is not one. */
function scanFloat(s: Scanner, width: { n: number }): number | null {
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
    for (const l of "nan") if (!s.eatLetter(l.charCodeAt(0), width)) return null;
    if (width.n > 0 && s.peek() === 0x28) {
      s.next();
      width.n--;
      while (width.n > 0 && (digitValue(s.peek()) < 36 || s.peek() === 0x5f)) {
        s.next();
        width.n--;
      }
      if (width.n <= 0 || s.peek() !== 0x29) return null;
      s.next();
      width.n--;
    }
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
  if (!hex) return signed(Number(`${sig}e${exp + scale}`));
  // sig * 16^scale * 2^exp, rounded once: Number() of the integer rounds to nearest even,
  // and the power of two is exact in the normal range.
  return signed(ldexp(Number(BigInt(`0x${sig}`)), exp + 4 * scale));
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
    if (p === 0 || p + size > dv.byteLength) outOfBounds("scanf destination", p);
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
          if (!suppress) storeInteger(dv, checked, nextPointer(), length, BigInt(s.consumed));
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
          let k = 0;
          for (; w.n > 0; w.n--, k++) {
            const c = s.peek();
            if (c === EOF || (set ? set[c] === 0 : isSpace(c))) break;
            if (!suppress) u8[checked(dst + k, 1)] = c;
            s.next();
          }
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
          const bits = wide && conv !== 0x70 ? 64 : 32;
          const value =
            conv === 0x64 || conv === 0x69 ? signedValue(v, bits) : unsignedValue(v, bits);
          storeInteger(dv, checked, nextPointer(), conv === 0x70 ? "" : length, value);
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
          const x = scanFloat(s, w);
          if (x === null) throw new Stop(false);
          if (suppress) break;
          const p = nextPointer();
          if (length === "l" || length === "L" || length === "ll") {
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
    s.settle();
    return e.input && assigned === 0 ? EOF : assigned;
  }
  s.settle();
  return assigned;
}

function storeInteger(
  dv: DataView,
  checked: (p: number, size: number) => number,
  p: number,
  length: string,
  value: bigint,
): void {
  switch (length) {
    case "hh":
      dv.setInt8(checked(p, 1), Number(BigInt.asIntN(8, value)));
      return;
    case "h":
      dv.setInt16(checked(p, 2), Number(BigInt.asIntN(16, value)), true);
      return;
    case "ll":
    case "L":
    case "q":
    case "j":
      dv.setBigInt64(checked(p, 8), BigInt.asIntN(64, value), true);
      return;
    default:
      dv.setInt32(checked(p, 4), Number(BigInt.asIntN(32, value)), true);
  }
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
