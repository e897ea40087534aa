// printf-family formatting with glibc's output, reading the format string and the variadic
// arguments from plugin memory (ABI: promoted arguments laid out in order at their natural
// alignment; int and pointers 4 bytes, long long and double 8 bytes aligned to 8).
//
// Floating-point conversions are exact: the double's binary value is expanded with BigInt and
// rounded half-to-even on exact ties, as glibc does (printf("%.2f", 0.125) prints 0.12).

import { HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";

/**
 * Where formatted output goes. Every character produced is counted in `total` (printf's return
 * value, %n); only the first `keep` are stored (snprintf's truncation: the rest, however many a
 * width or precision asks for, is counted without being built). With a `sink`, stored bytes are
 * handed over in chunks of CHUNK, so printf to stdout never holds more than a chunk. `meter`
 * is told about work before it is done (characters about to be stored, bytes scanned, digits
 * computed): it charges fuel and throws when there is not enough, so a width of INT_MAX faults
 * before a byte of padding exists.
 */
export class OutBuffer {
  bytes = new Uint8Array(256);
  /** Bytes in `bytes`. */
  length = 0;
  /** Characters produced, stored or not. */
  total = 0;
  /** Characters stored so far (including chunks handed to the sink). */
  private stored = 0;
  private keep = Number.POSITIVE_INFINITY;
  private sink: ((bytes: Uint8Array) => void) | undefined;
  /** Work reported but not yet passed to the meter, in characters. */
  private pending = 0;

  constructor(
    /** Charges `chars` characters' worth of work (see fuel.ts); may throw to stop formatting. */
    readonly meter: ((chars: number) => void) | undefined = undefined,
  ) {}

  /** Starts a new output: store at most `keep` characters, or stream them to `sink`. */
  begin(keep: number, sink?: (bytes: Uint8Array) => void): void {
    this.length = 0;
    this.total = 0;
    this.stored = 0;
    this.pending = 0;
    this.keep = keep;
    this.sink = sink;
  }

  /** Reports work (in characters' worth) before doing it; large amounts are charged at once. */
  work(chars: number): void {
    this.pending += chars;
    if (this.pending >= METER_EAGER) this.settle();
  }

  /** Passes the work reported so far to the meter. */
  settle(): void {
    if (this.pending > 0 && this.meter) this.meter(this.pending);
    this.pending = 0;
  }

  /** Hands stored bytes to the sink (call at the end of a streamed output). */
  flush(): void {
    if (this.sink && this.length > 0) {
      this.sink(this.bytes.subarray(0, this.length));
      this.length = 0;
    }
  }

  /** Counts `n` characters; returns how many of them to store. */
  private take(n: number): number {
    this.total += n;
    const room = this.keep - this.stored;
    const s = Math.min(n, room);
    if (s <= 0) return 0;
    this.work(s);
    this.stored += s;
    return s;
  }

  /** Makes room for `n` more bytes (n ≤ CHUNK when streaming). */
  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    if (this.sink && this.length > 0) {
      this.flush();
      if (n <= this.bytes.length) return;
    }
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  push(b: number): void {
    if (this.take(1) === 0) return;
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  ascii(s: string): void {
    const n = this.take(s.length);
    if (n === 0) return;
    this.reserve(n);
    for (let i = 0; i < n; i++) this.bytes[this.length++] = s.charCodeAt(i);
  }

  pad(ch: number, count: number): void {
    if (!(count > 0)) return;
    let n = this.take(count);
    while (n > 0) {
      const step = this.sink ? Math.min(n, CHUNK) : n;
      this.reserve(step);
      this.bytes.fill(ch, this.length, this.length + step);
      this.length += step;
      n -= step;
    }
  }

  raw(src: Uint8Array, from: number, to: number): void {
    let n = this.take(to - from);
    while (n > 0) {
      const step = this.sink ? Math.min(n, CHUNK) : n;
      this.reserve(step);
      this.bytes.set(src.subarray(from, from + step), this.length);
      this.length += step;
      from += step;
      n -= step;
    }
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** Bytes a streaming OutBuffer holds before handing them to its sink. */
const CHUNK = 64 << 10;
/** Characters of work reported before the meter is asked (and may stop the formatting). */
const METER_EAGER = 4096;
/**
 * Work of one conversion (parsing its spec, its argument, formatting), in characters' worth:
 * 100 fuel units at 8 characters a unit. A call costs two conversions more.
 */
export const CONVERSION_WORK = 800;
/** Base work of a floating conversion (BigInt arithmetic), on top of its digits' share. */
const FLOAT_WORK = 4000;

/**
 * Digits beyond which a double's decimal expansion is only zeros: fixed notation has at most
 * 1074 digits after the point, and scientific notation at most 767 significant digits. Longer
 * precisions are computed to this many digits and the rest is padding (never built for
 * snprintf, streamed for printf).
 */
const FIXED_DIGITS_MAX = 1100;
const SIGNIFICANT_DIGITS_MAX = 800;

const SPACE = 0x20;
const ZERO = 0x30;

function outOfBounds(what: string, ptr: number): never {
  throw new HostTrap("out-of-bounds", `${what} at address ${ptr >>> 0} is outside the memory`, {
    access: "read",
    size: 1,
    address: ptr >>> 0,
  });
}

const nativeIndexOf = Buffer.prototype.indexOf as (
  this: Uint8Array,
  value: number,
  byteOffset: number,
) => number;

/**
 * Index of the NUL terminating the string at `ptr`; faults if it runs off the memory. Node's
 * Buffer search (memchr) scans ~20 bytes/ns against 1.5 for Uint8Array.prototype.indexOf.
 */
export function cstrEnd(u8: Uint8Array, ptr: number): number {
  if (inNullPage(ptr)) throw nullPointerTrap("string", ptr);
  if (ptr <= 0 || ptr >= u8.length) outOfBounds("string", ptr);
  const end = nativeIndexOf.call(u8, 0, ptr);
  if (end < 0) outOfBounds("unterminated string", ptr);
  return end;
}

/** The end of the string at `ptr`, reading at most `max` bytes (a precision for %s). */
function boundedEnd(u8: Uint8Array, ptr: number, max: number): number {
  if (inNullPage(ptr)) throw nullPointerTrap("string", ptr);
  if (ptr <= 0 || ptr >= u8.length) outOfBounds("string", ptr);
  const limit = Math.min(u8.length, ptr + max);
  const end = nativeIndexOf.call(u8.subarray(0, limit), 0, ptr);
  if (end >= 0) return end;
  if (limit === u8.length && ptr + max > u8.length) outOfBounds("unterminated string", ptr);
  return limit;
}

/** Reads the variadic arguments of one call. */
class VaList {
  constructor(
    private readonly dv: DataView,
    private ptr: number,
  ) {}

  private take(size: number): number {
    if (size === 8) this.ptr = (this.ptr + 7) & ~7;
    const at = this.ptr;
    if (at < 0 || at + size > this.dv.byteLength) outOfBounds("variadic argument", at);
    this.ptr += size;
    return at;
  }

  int(): number {
    return this.dv.getInt32(this.take(4), true);
  }

  int64(): bigint {
    return this.dv.getBigInt64(this.take(8), true);
  }

  double(): number {
    return this.dv.getFloat64(this.take(8), true);
  }
}

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  hash: boolean;
  zero: boolean;
  width: number;
  /** -1 when absent. */
  precision: number;
  length: string;
}

/** formatPrintf's result when a wide character does not convert (the caller sets EILSEQ). */
export const ENCODING_ERROR = -1;

/**
 * Formats `printf(fmt, ...)` with the format at `fmtPtr` and the variadic block at `argPtr`
 * into `out` (begun by the caller). Returns the number of characters produced (`out.total`),
 * or ENCODING_ERROR when %lc/%ls meets a non-ASCII character (what was formatted before it
 * stays in `out`, as glibc's stream keeps it).
 */
export function formatPrintf(
  u8: Uint8Array,
  dv: DataView,
  fmtPtr: number,
  argPtr: number,
  out: OutBuffer,
): number {
  const end = cstrEnd(u8, fmtPtr);
  out.work(end - fmtPtr + 2 * CONVERSION_WORK); // the call's own base cost
  const va = new VaList(dv, argPtr);
  let i = fmtPtr;
  while (i < end) {
    const c = u8[i]!;
    if (c !== 0x25) {
      const next = u8.indexOf(0x25, i);
      const stop = next < 0 || next > end ? end : next;
      out.raw(u8, i, stop);
      i = stop;
      continue;
    }
    const start = i;
    i++;
    out.work(CONVERSION_WORK);
    const spec: Spec = {
      minus: false,
      plus: false,
      space: false,
      hash: false,
      zero: false,
      width: 0,
      precision: -1,
      length: "",
    };
    for (;;) {
      const f = u8[i];
      if (f === 0x2d) spec.minus = true;
      else if (f === 0x2b) spec.plus = true;
      else if (f === 0x20) spec.space = true;
      else if (f === 0x23) spec.hash = true;
      else if (f === 0x30) spec.zero = true;
      else break;
      i++;
    }
    if (u8[i] === 0x2a) {
      const w = va.int();
      if (w < 0) {
        spec.minus = true;
        spec.width = -w;
      } else spec.width = w;
      i++;
    } else {
      while (i < end && u8[i]! >= 0x30 && u8[i]! <= 0x39)
        spec.width = Math.min(spec.width * 10 + u8[i++]! - 0x30, 2 ** 32);
    }
    if (u8[i] === 0x2e) {
      i++;
      if (u8[i] === 0x2a) {
        const p = va.int();
        spec.precision = p < 0 ? -1 : p;
        i++;
      } else {
        spec.precision = 0;
        while (i < end && u8[i]! >= 0x30 && u8[i]! <= 0x39) {
          spec.precision = Math.min(spec.precision * 10 + u8[i++]! - 0x30, 2 ** 32);
        }
      }
    }
    const l0 = u8[i];
    if (l0 === 0x68 || l0 === 0x6c) {
      // h, hh, l, ll
      spec.length = String.fromCharCode(l0);
      i++;
      if (u8[i] === l0) {
        spec.length += spec.length;
        i++;
      }
    } else if (l0 === 0x4c || l0 === 0x71 || l0 === 0x6a || l0 === 0x7a || l0 === 0x74) {
      spec.length = String.fromCharCode(l0); // L q j z t
      i++;
    }
    if (i >= end) {
      out.raw(u8, start, end);
      break;
    }
    const conv = String.fromCharCode(u8[i]!);
    i++;
    switch (conv) {
      case "d":
      case "i":
        formatSigned(out, spec, va);
        break;
      case "u":
      case "o":
      case "x":
      case "X":
        formatUnsigned(out, spec, va, conv);
        break;
      case "c":
      case "C": {
        if (conv === "C" || spec.length === "l") {
          // wint_t through the "C" locale: ASCII converts, anything else fails as in glibc.
          const wc = va.int() >>> 0;
          if (wc > 0x7f) return ENCODING_ERROR;
          padded(out, spec, 1, false, () => out.push(wc));
          break;
        }
        const ch = va.int() & 0xff;
        padded(out, spec, 1, false, () => out.push(ch));
        break;
      }
      case "S":
        if (!wideString(dv, out, spec, va.int())) return ENCODING_ERROR;
        break;
      case "s": {
        if (spec.length === "l") {
          if (!wideString(dv, out, spec, va.int())) return ENCODING_ERROR;
          break;
        }
        const p = va.int();
        if (p === 0) {
          const text = spec.precision < 0 || spec.precision >= 6 ? "(null)" : "";
          padded(out, spec, text.length, false, () => out.ascii(text));
          break;
        }
        const e = spec.precision >= 0 ? boundedEnd(u8, p, spec.precision) : cstrEnd(u8, p);
        out.work(e - p);
        padded(out, spec, e - p, false, () => out.raw(u8, p, e));
        break;
      }
      case "p": {
        const p = va.int() >>> 0;
        const text = p === 0 ? "(nil)" : `0x${p.toString(16)}`;
        padded(out, spec, text.length, false, () => out.ascii(text));
        break;
      }
      case "n": {
        const at = va.int();
        const count = out.total;
        const size =
          spec.length === "hh"
            ? 1
            : spec.length === "h"
              ? 2
              : spec.length === "ll" || spec.length === "j"
                ? 8
                : 4;
        if (inNullPage(at)) throw nullPointerTrap("%n argument", at);
        if (at <= 0 || at + size > dv.byteLength) outOfBounds("%n argument", at);
        if (size === 1) dv.setInt8(at, count);
        else if (size === 2) dv.setInt16(at, count, true);
        else if (size === 8) dv.setBigInt64(at, BigInt(count), true);
        else dv.setInt32(at, count, true);
        break;
      }
      case "f":
      case "F":
      case "e":
      case "E":
      case "g":
      case "G":
      case "a":
      case "A":
        formatFloat(out, spec, va.double(), conv);
        break;
      case "%":
        out.push(0x25);
        break;
      default:
        // glibc prints an unknown conversion as written.
        out.raw(u8, start, i);
    }
  }
  return out.total;
}

/**
 * %ls: the wchar_t (4-byte) string at `p` converted through the "C" locale, where only ASCII
 * converts: a wider character fails the call (glibc: -1, EILSEQ) before the field is written.
 * The precision counts output bytes, so at most that many characters are read. Two passes (check
 * and measure, then copy), so nothing is allocated; work: the bytes read, twice.
 */
function wideString(dv: DataView, out: OutBuffer, spec: Spec, p: number): boolean {
  if (p === 0) {
    const text = spec.precision < 0 || spec.precision >= 6 ? "(null)" : "";
    padded(out, spec, text.length, false, () => out.ascii(text));
    return true;
  }
  if (inNullPage(p)) throw nullPointerTrap("wide string", p);
  const start = p >>> 0;
  const max = spec.precision < 0 ? Number.POSITIVE_INFINITY : spec.precision;
  let n = 0;
  for (let at = start; n < max; at += 4, n++) {
    if (at + 4 > dv.byteLength) outOfBounds("unterminated wide string", start);
    const wc = dv.getUint32(at, true);
    if (wc === 0) break;
    if (wc > 0x7f) {
      out.work(4 * n + 4);
      return false;
    }
  }
  out.work(8 * n);
  padded(out, spec, n, false, () => {
    for (let k = 0; k < n; k++) out.push(dv.getUint8(start + 4 * k));
  });
  return true;
}

/** Writes a field of `len` bytes produced by `emit`, padded with spaces to the width. */
function padded(
  out: OutBuffer,
  spec: Spec,
  len: number,
  _numeric: boolean,
  emit: () => void,
): void {
  const fill = spec.width - len;
  if (!spec.minus) out.pad(SPACE, fill);
  emit();
  if (spec.minus) out.pad(SPACE, fill);
}

/**
 * Writes a number: prefix (sign, 0x), `lead` zeros, digits, `trail` zeros and a suffix (an
 * exponent), with the width's padding. The zero runs are counts, not strings, so a precision
 * of INT_MAX costs nothing that is not stored.
 */
function emitNumber(
  out: OutBuffer,
  spec: Spec,
  prefix: string,
  digits: string,
  zeroPadOk: boolean,
  lead = 0,
  trail = 0,
  suffix = "",
): void {
  const len = prefix.length + lead + digits.length + trail + suffix.length;
  const fill = spec.width - len;
  if (!spec.minus && !(spec.zero && zeroPadOk)) out.pad(SPACE, fill);
  out.ascii(prefix);
  if (!spec.minus && spec.zero && zeroPadOk) out.pad(ZERO, fill);
  out.pad(ZERO, lead);
  out.ascii(digits);
  out.pad(ZERO, trail);
  out.ascii(suffix);
  if (spec.minus) out.pad(SPACE, fill);
}

/** Digits and the count of zeros the precision puts before them. */
function withPrecision(
  digits: string,
  spec: Spec,
  isZero: boolean,
): { digits: string; lead: number } {
  if (spec.precision < 0) return { digits, lead: 0 };
  if (spec.precision === 0 && isZero) return { digits: "", lead: 0 };
  return { digits, lead: Math.max(0, spec.precision - digits.length) };
}

function formatSigned(out: OutBuffer, spec: Spec, va: VaList): void {
  let negative: boolean;
  let magnitude: string;
  let isZero: boolean;
  if (spec.length === "ll" || spec.length === "j" || spec.length === "q" || spec.length === "L") {
    const v = va.int64();
    negative = v < 0n;
    magnitude = (negative ? -v : v).toString();
    isZero = v === 0n;
  } else {
    let v = va.int();
    if (spec.length === "hh") v = (v << 24) >> 24;
    else if (spec.length === "h") v = (v << 16) >> 16;
    negative = v < 0;
    magnitude = Math.abs(v).toString();
    isZero = v === 0;
  }
  const { digits, lead } = withPrecision(magnitude, spec, isZero);
  const sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  emitNumber(out, spec, sign, digits, spec.precision < 0, lead);
}

function formatUnsigned(out: OutBuffer, spec: Spec, va: VaList, conv: string): void {
  const base = conv === "o" ? 8 : conv === "u" ? 10 : 16;
  let text: string;
  let isZero: boolean;
  if (spec.length === "ll" || spec.length === "j" || spec.length === "q" || spec.length === "L") {
    const v = BigInt.asUintN(64, va.int64());
    text = v.toString(base);
    isZero = v === 0n;
  } else {
    let v = va.int() >>> 0;
    if (spec.length === "hh") v &= 0xff;
    else if (spec.length === "h") v &= 0xffff;
    text = v.toString(base);
    isZero = v === 0;
  }
  if (conv === "X") text = text.toUpperCase();
  let { digits, lead } = withPrecision(text, spec, isZero);
  let prefix = "";
  if (spec.hash) {
    if (conv === "o") {
      if (lead === 0 && !digits.startsWith("0")) digits = `0${digits}`;
    } else if (base === 16 && !isZero) {
      prefix = conv === "X" ? "0X" : "0x";
    }
  }
  emitNumber(out, spec, prefix, digits, spec.precision < 0, lead);
}

// ---- floating point ---------------------------------------------------------------------

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** |x| = mantissa * 2^exponent exactly (x finite). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  f64[0] = x;
  const bits = u64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let p = pow10Cache[n];
    if (p === undefined) {
      p = 10n ** BigInt(n);
      pow10Cache[n] = p;
    }
    return p;
  }
  return 10n ** BigInt(n);
}

/** round(num / den), ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num - q * den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** round(|x| * 10^k) for a finite x, exactly. */
function scaledRound(x: number, k: number): bigint {
  const { mantissa, exponent } = decompose(x);
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (k >= 0) num *= pow10(k);
  else den *= pow10(-k);
  return roundHalfEven(num, den);
}

/** Digits of |x| rounded to `precision` decimals (e.g. "0.12"); `hash` keeps a lone point. */
function fixedDigits(x: number, precision: number, hash: boolean): string {
  const q = scaledRound(x, precision).toString();
  if (precision === 0) return hash ? `${q}.` : q;
  const padded = q.length <= precision ? "0".repeat(precision + 1 - q.length) + q : q;
  return `${padded.slice(0, padded.length - precision)}.${padded.slice(padded.length - precision)}`;
}

/** |x| as `precision + 1` significant digits and a decimal exponent, rounded exactly. */
function scientific(x: number, precision: number): { digits: string; exp10: number } {
  if (x === 0) return { digits: "0".repeat(precision + 1), exp10: 0 };
  let e = Math.floor(Math.log10(Math.abs(x)));
  const lo = pow10(precision);
  const hi = lo * 10n;
  for (let tries = 0; tries < 4; tries++) {
    const q = scaledRound(x, precision - e);
    if (q >= hi) e++;
    else if (q < lo) e--;
    else return { digits: q.toString(), exp10: e };
  }
  // Only reached when rounding carries into a new power of ten at the boundary.
  const q = scaledRound(x, precision - e);
  const s = q.toString().slice(0, precision + 1);
  return { digits: s, exp10: e };
}

function expText(e: number, upper: boolean): string {
  const a = Math.abs(e);
  return `${upper ? "E" : "e"}${e < 0 ? "-" : "+"}${a < 10 ? "0" : ""}${a}`;
}

/** "d.ddd" from significant digits (a lone digit keeps its point only with `#`). */
function mantissaText(digits: string, hash: boolean): string {
  return digits.length > 1 || hash ? `${digits[0]}.${digits.slice(1)}` : digits;
}

function stripZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === ZERO) end--;
  if (s.charCodeAt(end - 1) === 0x2e) end--;
  return s.slice(0, end);
}

/** %a: the text up to the hex digits, the zeros a long precision adds, and the exponent. */
function hexFloat(
  x: number,
  precision: number,
  upper: boolean,
  hash: boolean,
): { text: string; trail: number; suffix: string } {
  let { mantissa, exponent } = decompose(x);
  let lead: bigint;
  let e2: number;
  if (mantissa === 0n) {
    lead = 0n;
    e2 = 0;
  } else if (mantissa >> 52n === 0n) {
    lead = 0n; // subnormal: glibc prints 0x0.xxxp-1022
    e2 = -1022;
  } else {
    lead = 1n;
    e2 = exponent + 52;
  }
  let frac = mantissa & 0xfffffffffffffn;
  let digits = 13;
  if (precision >= 0 && precision < 13) {
    const drop = BigInt((13 - precision) * 4);
    const full = (lead << 52n) | frac;
    const rounded = roundHalfEven(full, 1n << drop);
    lead = rounded >> BigInt(precision * 4);
    frac = rounded & ((1n << BigInt(precision * 4)) - 1n);
    digits = precision;
  }
  let fracText = digits > 0 ? frac.toString(16).padStart(digits, "0") : "";
  if (precision < 0) fracText = fracText.replace(/0+$/, "");
  const trail = precision > 13 ? precision - 13 : 0;
  exponent = e2;
  const point = fracText.length > 0 || trail > 0 || hash ? "." : "";
  const text = `0x${lead.toString(16)}${point}${fracText}`;
  const suffix = `p${exponent < 0 ? "-" : "+"}${Math.abs(exponent)}`;
  return upper
    ? { text: text.toUpperCase(), trail, suffix: suffix.toUpperCase() }
    : { text, trail, suffix };
}

/** Work of a decimal conversion computing `digits` digits with BigInt (quadratic). */
function floatWork(out: OutBuffer, a: number, digits: number): void {
  const scale = a > 0 ? Math.abs(Math.floor(Math.log10(a))) : 0;
  const n = digits + scale;
  out.work(FLOAT_WORK + (n * n) / 4);
}

function formatFloat(out: OutBuffer, spec: Spec, x: number, conv: string): void {
  const upper = conv === "F" || conv === "E" || conv === "G" || conv === "A";
  f64[0] = x;
  const negative = u64[0]! >> 63n === 1n;
  const sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  if (!Number.isFinite(x)) {
    const text = Number.isNaN(x) ? "nan" : "inf";
    emitNumber(out, spec, sign, upper ? text.toUpperCase() : text, false);
    return;
  }
  const a = Math.abs(x);
  let body: string;
  // Zeros past the digits a double can have, and the exponent: written, never computed.
  let trail = 0;
  let suffix = "";
  switch (conv) {
    case "f":
    case "F": {
      const p = spec.precision < 0 ? 6 : spec.precision;
      const q = Math.min(p, FIXED_DIGITS_MAX);
      floatWork(out, a, q);
      body = fixedDigits(a, q, spec.hash);
      trail = p - q;
      break;
    }
    case "e":
    case "E": {
      const p = spec.precision < 0 ? 6 : spec.precision;
      const q = Math.min(p, SIGNIFICANT_DIGITS_MAX);
      floatWork(out, a, q);
      const { digits, exp10 } = scientific(a, q);
      body = mantissaText(digits, spec.hash);
      trail = p - q;
      suffix = expText(exp10, upper);
      break;
    }
    case "a":
    case "A": {
      const hex = hexFloat(a, spec.precision, upper, spec.hash);
      // The 0x prefix goes before zero padding, like a sign.
      emitNumber(
        out,
        spec,
        sign + hex.text.slice(0, 2),
        hex.text.slice(2),
        true,
        0,
        hex.trail,
        hex.suffix,
      );
      return;
    }
    default: {
      const p = spec.precision < 0 ? 6 : spec.precision === 0 ? 1 : spec.precision;
      const q = Math.min(p, SIGNIFICANT_DIGITS_MAX);
      floatWork(out, a, q);
      const { digits, exp10 } = scientific(a, q - 1);
      if (exp10 < p && exp10 >= -4) {
        body = fixedDigits(a, q - 1 - exp10, spec.hash);
      } else {
        body = mantissaText(digits, spec.hash);
        suffix = expText(exp10, upper);
      }
      if (spec.hash) trail = p - q;
      else body = stripZeros(body);
    }
  }
  emitNumber(out, spec, sign, body, true, 0, trail, suffix);
}
