// The <stdlib.h> number parsers of one runtime: strtol, strtoul, strtoll, strtoull, strtod,
// strtof, atof, atol, atoll. They follow glibc (the differential tests' oracle): the same
// accepted prefix (so the same *endptr), the same clamping and errno (ERANGE on overflow; for
// strtod also on an inexact subnormal or zero result; EINVAL for a bad base).
//
// strtod and strtof are correctly rounded (round-half-even) from the exact value of the
// decimal or hexadecimal text, computed with BigInt: at most MAX_DIGITS significant digits are
// kept, the rest folded into one sticky digit, which cannot change the rounding (a halfway
// case between two doubles needs at most 767 significant digits), so the BigInt work is
// bounded whatever the input length.
//
// Costs (fuel units; see fuel.ts), n the characters examined:
//   strtol family, atol, atoll      16 + n/8 (finding the string's end) + n (the digit loop)
//   strtod, strtof, atof            the same, plus 64 for the exact rounding (bounded BigInt work)

import { EINVAL, ERANGE, errnoOf } from "./errno.ts";
import { HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";
import { loopCost } from "./fuel.ts";
import { makeStrEnd } from "./libc-string.ts";
import type { Runtime } from "./runtime.ts";
import type { AnyFunction } from "./upcall.ts";

/** Significant decimal digits kept exactly (more than the 767 a double halfway case needs). */
const MAX_DIGITS = 800;
/** Significant hex digits kept exactly (a double needs 14, plus guard and sticky). */
const MAX_HEX_DIGITS = 40;
/** Fuel for the exact rounding (a few BigInt operations on numbers of ~3000 bits at most). */
const ROUNDING_COST = 64;

/** glibc's strtod("-nan"): a quiet NaN with the sign bit set (printf shows "-nan"). */
const NEGATIVE_NAN = new Float64Array(new BigUint64Array([0xfff8000000000000n]).buffer)[0]!;

const isSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);
const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 32 : b);

/** The value of `b` as a digit in base 36 (36: not a digit). */
function digitValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const l = lower(b);
  if (l >= 0x61 && l <= 0x7a) return l - 0x61 + 10;
  return 36;
}

/** A binary floating format: bits of significand and the exponent of its smallest subnormal. */
interface FloatFormat {
  bits: number;
  minLsb: number;
  round: (x: number) => number;
}
const DOUBLE: FloatFormat = { bits: 53, minLsb: -1074, round: (x) => x };
const FLOAT: FloatFormat = { bits: 24, minLsb: -149, round: Math.fround };

const bitLength = (x: bigint): number => x.toString(2).length;

/**
 * m · 2^e2 · 5^e5 (m > 0) rounded to nearest-even in `format`; `inexact` tells whether
 * rounding changed the value.
 */
export function roundExact(
  m: bigint,
  e2: number,
  e5: number,
  format: FloatFormat,
): { value: number; inexact: boolean } {
  let num = m;
  let den = 1n;
  if (e5 >= 0) num *= 5n ** BigInt(e5);
  else den = 5n ** BigInt(-e5);
  // The value lies in [2^(k-1), 2^(k+1)).
  const k = bitLength(num) - bitLength(den) + e2;
  let lsb = Math.max(k - format.bits, format.minLsb);
  const quotient = (at: number): [bigint, bigint, bigint] => {
    const s = e2 - at;
    const n = s >= 0 ? num << BigInt(s) : num;
    const d = s >= 0 ? den : den << BigInt(-s);
    return [n / d, n % d, d];
  };
  let [q, r, d] = quotient(lsb);
  if (bitLength(q) > format.bits) [q, r, d] = quotient(++lsb);
  const inexact = r !== 0n;
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q += 1n;
  if (q === 0n) return { value: 0, inexact };
  // Number(q) is exact (q <= 2^bits) and so is the scaling, but for overflow to infinity.
  return { value: format.round(Number(q) * 2 ** lsb), inexact };
}

/** What a float parse found: the value (sign applied), where it ended, whether errno is ERANGE. */
interface FloatParse {
  value: number;
  end: number;
  range: boolean;
}

/** Parses a C floating constant (strtod's grammar) at `at` in u8[..end). */
export function parseFloatText(
  u8: Uint8Array,
  start: number,
  end: number,
  format: FloatFormat,
): FloatParse {
  let i = start;
  while (i < end && isSpace(u8[i]!)) i++;
  let negative = false;
  if (i < end && (u8[i] === 0x2b || u8[i] === 0x2d)) negative = u8[i++] === 0x2d;
  const sign = (x: number) => (negative ? -x : x);
  const word = (w: string, at: number) => {
    for (let j = 0; j < w.length; j++)
      if (at + j >= end || lower(u8[at + j]!) !== w.charCodeAt(j)) return false;
    return true;
  };
  if (word("inf", i)) {
    const stop = word("inity", i + 3) ? i + 8 : i + 3;
    return { value: sign(Number.POSITIVE_INFINITY), end: stop, range: false };
  }
  if (word("nan", i)) {
    let stop = i + 3;
    if (stop < end && u8[stop] === 0x28) {
      let j = stop + 1;
      while (j < end && (digitValue(u8[j]!) < 36 || u8[j] === 0x5f)) j++;
      if (j < end && u8[j] === 0x29) stop = j + 1;
    }
    return { value: negative ? NEGATIVE_NAN : Number.NaN, end: stop, range: false };
  }
  const hex = i + 1 < end && u8[i] === 0x30 && lower(u8[i + 1]!) === 0x78;
  const base = hex ? 16 : 10;
  const isDigit = (b: number) => digitValue(b) < base;
  let j = hex ? i + 2 : i;
  // Significant digits (leading zeros dropped), the exponent adjustment, a sticky flag.
  let digits = "";
  let sticky = false;
  let scale = 0; // the value is digits · base^scale (before the exponent part)
  let seen = false;
  let point = false;
  const maxDigits = hex ? MAX_HEX_DIGITS : MAX_DIGITS;
  for (; j < end; j++) {
    const b = u8[j]!;
    if (b === 0x2e && !point) {
      point = true;
      continue;
    }
    if (!isDigit(b)) break;
    seen = true;
    if (digits.length === 0 && b === 0x30) {
      if (point) scale--;
      continue;
    }
    if (digits.length < maxDigits) {
      digits += String.fromCharCode(b);
      if (point) scale--;
    } else {
      if (b !== 0x30) sticky = true;
      if (!point) scale++;
    }
  }
  if (!seen) {
    // "0x" without hex digits is the constant 0 followed by "x..."; no digits at all is no number.
    if (hex) return { value: sign(0), end: i + 1, range: false };
    return { value: 0, end: start, range: false };
  }
  // The exponent part, only when digits follow its letter (and sign).
  let exponent = 0;
  const marker = hex ? 0x70 : 0x65;
  if (j < end && lower(u8[j]!) === marker) {
    let k = j + 1;
    let expNegative = false;
    if (k < end && (u8[k] === 0x2b || u8[k] === 0x2d)) expNegative = u8[k++] === 0x2d;
    if (k < end && u8[k]! >= 0x30 && u8[k]! <= 0x39) {
      while (k < end && u8[k]! >= 0x30 && u8[k]! <= 0x39) {
        // Clamped far beyond any finite result, so it stays an exact integer.
        if (exponent < 1e9) exponent = exponent * 10 + (u8[k]! - 0x30);
        k++;
      }
      if (expNegative) exponent = -exponent;
      j = k;
    }
  }
  if (digits.length === 0) return { value: sign(0), end: j, range: false };
  if (sticky) {
    // One more digit below the kept ones stands for the dropped nonzero tail.
    digits += "1";
    scale--;
  }
  // The value is m · base^scale · (10 or 2)^exponent; in powers of two and five.
  const m = BigInt(hex ? `0x${digits}` : digits);
  const count = digits.length;
  let e2: number;
  let e5: number;
  if (hex) {
    e2 = 4 * scale + exponent;
    e5 = 0;
    // Far out of range either way: an infinite or zero result without the BigInt work.
    if (e2 + 4 * count > 1100)
      return { value: sign(Number.POSITIVE_INFINITY), end: j, range: true };
    if (e2 + 4 * count < -1200) return { value: sign(0), end: j, range: true };
  } else {
    e2 = e5 = scale + exponent;
    if (e5 + count > 400) return { value: sign(Number.POSITIVE_INFINITY), end: j, range: true };
    if (e5 + count < -400) return { value: sign(0), end: j, range: true };
  }
  const { value, inexact } = roundExact(m, e2, e5, format);
  const tiny = format === FLOAT ? 2 ** -126 : 2 ** -1022;
  const range = value === Number.POSITIVE_INFINITY || (value < tiny && inexact);
  return { value: sign(value), end: j, range };
}

/** What an integer parse found (strtol's grammar). */
interface IntegerParse {
  /** The magnitude, clamped to just above `limit` when it overflowed. */
  magnitude: bigint;
  negative: boolean;
  overflow: boolean;
  end: number;
}

function parseIntegerText(
  u8: Uint8Array,
  start: number,
  end: number,
  base: number,
  limit: bigint,
): IntegerParse {
  let i = start;
  while (i < end && isSpace(u8[i]!)) i++;
  let negative = false;
  if (i < end && (u8[i] === 0x2b || u8[i] === 0x2d)) negative = u8[i++] === 0x2d;
  let b = base;
  // "0x" counts as a prefix only when a hex digit follows; else the number is the 0.
  const hexPrefix =
    i + 2 < end && u8[i] === 0x30 && lower(u8[i + 1]!) === 0x78 && digitValue(u8[i + 2]!) < 16;
  if ((b === 0 || b === 16) && hexPrefix) {
    i += 2;
    b = 16;
  } else if (b === 0) b = i < end && u8[i] === 0x30 ? 8 : 10;
  const big = BigInt(b);
  const first = i;
  // Digits accumulate in a double while exact (< 2^53 / 36), then in a BigInt.
  let small = 0;
  let magnitude = -1n;
  let overflow = false;
  for (; i < end; i++) {
    const d = digitValue(u8[i]!);
    if (d >= b) break;
    if (overflow) continue;
    if (magnitude < 0n) {
      small = small * b + d;
      if (small >= 2 ** 47) magnitude = BigInt(small);
    } else {
      magnitude = magnitude * big + BigInt(d);
      if (magnitude > limit) overflow = true;
    }
  }
  if (i === first) return { magnitude: 0n, negative: false, overflow: false, end: start };
  if (magnitude < 0n) magnitude = BigInt(small);
  if (magnitude > limit) overflow = true;
  return { magnitude, negative, overflow, end: i };
}

/** The number parsers of `rt` (`undefined` only to list their names). */
export function makeNumberParsers(runtime: Runtime | undefined): Record<string, AnyFunction> {
  const rt = runtime as Runtime;
  const meter = runtime?.meter as Runtime["meter"];
  const strEnd = runtime ? makeStrEnd(runtime) : () => 0;

  /** Stores `at` into *endptr when endptr is not NULL. */
  const setEnd = (endptr: number, at: number) => {
    if (endptr === 0) return;
    const p = endptr >>> 0;
    const dv = rt.views.fresh().dv;
    if (inNullPage(p) || p + 4 > dv.byteLength) {
      if (inNullPage(p)) throw nullPointerTrap("strto* endptr", p);
      throw new HostTrap("out-of-bounds", `strto*: endptr ${p} is outside the memory`);
    }
    dv.setUint32(p, at, true);
  };

  /** strtol and its kin: `bits` wide, signed or not. */
  const integer = (s: number, endptr: number, base: number, bits: number, signed: boolean) => {
    const end = strEnd(s);
    if (base < 0 || base === 1 || base > 36) {
      errnoOf(rt).set(EINVAL);
      return 0n;
    }
    const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    // A signed parse may reach max + 1 when negative (LONG_MIN).
    const p = parseIntegerText(rt.views.u8, s >>> 0, end, base, max + 1n);
    meter.charge(loopCost(p.end - (s >>> 0)));
    setEnd(endptr, p.end === s >>> 0 ? s : p.end);
    let { magnitude } = p;
    if (signed) {
      const bound = p.negative ? max + 1n : max;
      if (p.overflow || magnitude > bound) {
        errnoOf(rt).set(ERANGE);
        return p.negative ? -(max + 1n) : max;
      }
      return p.negative ? -magnitude : magnitude;
    }
    if (p.overflow || magnitude > max) {
      errnoOf(rt).set(ERANGE);
      return max;
    }
    if (p.negative) magnitude = BigInt.asUintN(bits, -magnitude);
    return magnitude;
  };

  const float = (s: number, endptr: number, format: FloatFormat): number => {
    const end = strEnd(s);
    const p = parseFloatText(rt.views.u8, s >>> 0, end, format);
    meter.charge(loopCost(p.end - (s >>> 0)) + ROUNDING_COST);
    setEnd(endptr, p.end);
    if (p.range) errnoOf(rt).set(ERANGE);
    return p.value;
  };

  return {
    strtol: (s: number, e: number, b: number) => Number(integer(s, e, b, 32, true)),
    strtoul: (s: number, e: number, b: number) => Number(integer(s, e, b, 32, false)) | 0,
    strtoll: (s: number, e: number, b: number) => BigInt.asIntN(64, integer(s, e, b, 64, true)),
    strtoull: (s: number, e: number, b: number) => BigInt.asIntN(64, integer(s, e, b, 64, false)),
    atol: (s: number) => Number(integer(s, 0, 10, 32, true)),
    atoll: (s: number) => BigInt.asIntN(64, integer(s, 0, 10, 64, true)),
    strtod: (s: number, e: number) => float(s, e, DOUBLE),
    strtof: (s: number, e: number) => float(s, e, FLOAT),
    atof: (s: number) => float(s, 0, DOUBLE),
  };
}
