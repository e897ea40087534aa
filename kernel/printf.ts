// printf-family formatting with glibc's output, reading the format string and the variadic
// arguments from plugin memory (ABI: promoted arguments laid out in order at their natural
// alignment; int and pointers 4 bytes, long long and double 8 bytes aligned to 8).
//
// Floating-point conversions are exact: the double's binary value is expanded with BigInt and
// rounded half-to-even on exact ties, as glibc does (printf("%.2f", 0.125) prints 0.12).

import { HostTrap } from "./faults.ts";

/** A growable byte buffer for formatted output. */
export class OutBuffer {
  bytes = new Uint8Array(256);
  length = 0;

  push(b: number): void {
    if (this.length === this.bytes.length) this.grow(1);
    this.bytes[this.length++] = b;
  }

  ascii(s: string): void {
    if (this.length + s.length > this.bytes.length) this.grow(s.length);
    for (let i = 0; i < s.length; i++) this.bytes[this.length++] = s.charCodeAt(i);
  }

  pad(ch: number, n: number): void {
    if (n <= 0) return;
    if (this.length + n > this.bytes.length) this.grow(n);
    this.bytes.fill(ch, this.length, this.length + n);
    this.length += n;
  }

  raw(src: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.length + n > this.bytes.length) this.grow(n);
    this.bytes.set(src.subarray(from, to), this.length);
    this.length += n;
  }

  private grow(n: number): void {
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

const SPACE = 0x20;
const ZERO = 0x30;

function outOfBounds(what: string, ptr: number): never {
  throw new HostTrap("out-of-bounds", `${what} at address ${ptr >>> 0} is outside the memory`);
}

/** Index of the NUL terminating the string at `ptr`; faults if it runs off the memory. */
export function cstrEnd(u8: Uint8Array, ptr: number): number {
  if (ptr <= 0 || ptr >= u8.length) outOfBounds("string", ptr);
  const end = u8.indexOf(0, ptr);
  if (end < 0) outOfBounds("unterminated string", ptr);
  return end;
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

/**
 * Formats `printf(fmt, ...)` with the format at `fmtPtr` and the variadic block at `argPtr`.
 * Returns the output bytes (valid until the next call with the same buffer).
 */
export function formatPrintf(
  u8: Uint8Array,
  dv: DataView,
  fmtPtr: number,
  argPtr: number,
  out: OutBuffer,
): Uint8Array {
  out.length = 0;
  const end = cstrEnd(u8, fmtPtr);
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
        spec.width = spec.width * 10 + u8[i++]! - 0x30;
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
          spec.precision = spec.precision * 10 + u8[i++]! - 0x30;
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
      case "c": {
        const ch = va.int() & 0xff;
        padded(out, spec, 1, false, () => out.push(ch));
        break;
      }
      case "s": {
        const p = va.int();
        if (p === 0) {
          const text = spec.precision < 0 || spec.precision >= 6 ? "(null)" : "";
          padded(out, spec, text.length, false, () => out.ascii(text));
          break;
        }
        let e = cstrEnd(u8, p);
        if (spec.precision >= 0 && e - p > spec.precision) e = p + spec.precision;
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
        const count = out.length;
        const size =
          spec.length === "hh"
            ? 1
            : spec.length === "h"
              ? 2
              : spec.length === "ll" || spec.length === "j"
                ? 8
                : 4;
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
  return out.view();
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

/** Writes sign/prefix + digits with width, zero padding and precision rules for integers. */
function emitNumber(
  out: OutBuffer,
  spec: Spec,
  prefix: string,
  digits: string,
  zeroPadOk: boolean,
): void {
  const len = prefix.length + digits.length;
  const fill = spec.width - len;
  if (spec.minus) {
    out.ascii(prefix);
    out.ascii(digits);
    out.pad(SPACE, fill);
  } else if (spec.zero && zeroPadOk) {
    out.ascii(prefix);
    out.pad(ZERO, fill);
    out.ascii(digits);
  } else {
    out.pad(SPACE, fill);
    out.ascii(prefix);
    out.ascii(digits);
  }
}

function withPrecision(digits: string, spec: Spec, isZero: boolean): string {
  if (spec.precision < 0) return digits;
  if (spec.precision === 0 && isZero) return "";
  return digits.length < spec.precision
    ? "0".repeat(spec.precision - digits.length) + digits
    : digits;
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
  const digits = withPrecision(magnitude, spec, isZero);
  const sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  emitNumber(out, spec, sign, digits, spec.precision < 0);
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
  let digits = withPrecision(text, spec, isZero);
  let prefix = "";
  if (spec.hash) {
    if (conv === "o") {
      if (!digits.startsWith("0")) digits = `0${digits}`;
    } else if (base === 16 && !isZero) {
      prefix = conv === "X" ? "0X" : "0x";
    }
  }
  emitNumber(out, spec, prefix, digits, spec.precision < 0);
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

function scientificText(digits: string, exp10: number, hash: boolean, upper: boolean): string {
  const mant = digits.length > 1 || hash ? `${digits[0]}.${digits.slice(1)}` : digits;
  return mant + expText(exp10, upper);
}

function stripZeros(s: string): string {
  if (!s.includes(".")) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === ZERO) end--;
  if (s.charCodeAt(end - 1) === 0x2e) end--;
  return s.slice(0, end);
}

function hexFloat(x: number, precision: number, upper: boolean, hash: boolean): string {
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
  else if (precision > 13) fracText += "0".repeat(precision - 13);
  exponent = e2;
  const point = fracText.length > 0 || hash ? "." : "";
  const text = `0x${lead.toString(16)}${point}${fracText}p${exponent < 0 ? "-" : "+"}${Math.abs(exponent)}`;
  return upper ? text.toUpperCase() : text;
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
  switch (conv) {
    case "f":
    case "F":
      body = fixedDigits(a, spec.precision < 0 ? 6 : spec.precision, spec.hash);
      break;
    case "e":
    case "E": {
      const p = spec.precision < 0 ? 6 : spec.precision;
      const { digits, exp10 } = scientific(a, p);
      body = scientificText(digits, exp10, spec.hash, upper);
      break;
    }
    case "a":
    case "A": {
      const text = hexFloat(a, spec.precision, upper, spec.hash);
      // The 0x prefix goes before zero padding, like a sign.
      emitNumber(out, spec, sign + text.slice(0, 2), text.slice(2), true);
      return;
    }
    default: {
      const p = spec.precision < 0 ? 6 : spec.precision === 0 ? 1 : spec.precision;
      const { digits, exp10 } = scientific(a, p - 1);
      if (exp10 < p && exp10 >= -4) {
        body = fixedDigits(a, p - 1 - exp10, spec.hash);
      } else {
        body = scientificText(digits, exp10, spec.hash, upper);
      }
      if (!spec.hash) {
        const ePos = body.search(/[eE]/);
        body = ePos < 0 ? stripZeros(body) : stripZeros(body.slice(0, ePos)) + body.slice(ePos);
      }
    }
  }
  emitNumber(out, spec, sign, body, true);
}
