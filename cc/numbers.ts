// Conversion of preprocessing numbers ("num" tokens) into typed C constants, following the
// C99 rules for the type of an integer constant (6.4.4.1) on ILP32.

import { decimalToFloat, roundBinary } from "./exact-float.ts";
import {
  doubleType,
  type FloatType,
  floatType,
  type IntType,
  intType,
  llongType,
  longType,
  uintType,
  ullongType,
  ulongType,
} from "./types.ts";

export type NumberValue =
  | { kind: "int"; value: bigint; type: IntType }
  | { kind: "float"; value: number; type: FloatType };

export type NumberResult = NumberValue | { kind: "error"; message: string };

/** BigInts of the most common literal values, made once. */
const SMALL: bigint[] = [];
for (let i = 0; i < 1024; i++) SMALL.push(BigInt(i));

const INT_MAX = (1n << 31n) - 1n;
const UINT_MAX = (1n << 32n) - 1n;
const LLONG_MAX = (1n << 63n) - 1n;
const ULLONG_MAX = (1n << 64n) - 1n;

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return 99;
}

/** Converts the spelling of a C number (as written, without sign) to its value and type. */
export function parseNumber(text: string): NumberResult {
  const c0 = text.charCodeAt(0);
  const c1 = text.charCodeAt(1) | 0x20;
  const isHex = c0 === 48 && c1 === 120; // 0x
  if (isHex) {
    for (let i = 2; i < text.length; i++) {
      const c = text.charCodeAt(i) | 0x20;
      if (c === 46 || c === 112) return parseHexFloat(text); // '.' or 'p'
    }
  } else {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 46 || (c | 0x20) === 101) return parseDecimalFloat(text); // '.' or 'e'
    }
  }
  return parseInteger(text, isHex);
}

function parseInteger(text: string, isHex: boolean): NumberResult {
  const isBinary = !isHex && text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 0x20) === 98;
  const base = isHex ? 16 : isBinary ? 2 : text.charCodeAt(0) === 48 ? 8 : 10;
  let i = isHex || isBinary ? 2 : 0;
  const start = i;
  let value = 0n;
  let small = 0; // accumulate in a double while exact, BigInt only for long constants
  let useBig = false;
  for (; i < text.length; i++) {
    const d = digitValue(text.charCodeAt(i));
    if (d >= base) break;
    if (!useBig) {
      small = small * base + d;
      if (small > 2 ** 52) {
        useBig = true;
        value = 0n;
        for (let j = start; j <= i; j++) {
          value = value * BigInt(base) + BigInt(digitValue(text.charCodeAt(j)));
        }
      }
    } else {
      value = value * BigInt(base) + BigInt(d);
    }
  }
  if (!useBig) value = small < SMALL.length ? SMALL[small]! : BigInt(small);
  if (i === start && base !== 8) {
    return { kind: "error", message: `invalid ${isHex ? "hex" : "binary"} constant '${text}'` };
  }
  const digitsEnd = i;
  // Octal constants stop at 8/9: report them as invalid digits rather than a bad suffix.
  if (base === 8 && i < text.length && digitValue(text.charCodeAt(i)) < 10) {
    return { kind: "error", message: `invalid digit '${text[i]}' in octal constant` };
  }
  const suffix = text.slice(digitsEnd);
  let unsigned = false;
  let longs = 0;
  switch (suffix.toLowerCase()) {
    case "":
      break;
    case "u":
      unsigned = true;
      break;
    case "l":
      longs = 1;
      break;
    case "ul":
    case "lu":
      unsigned = true;
      longs = 1;
      break;
    case "ll":
      longs = 2;
      break;
    case "ull":
    case "llu":
      unsigned = true;
      longs = 2;
      break;
    default:
      return { kind: "error", message: `invalid suffix '${suffix}' on integer constant` };
  }
  if (longs === 2 && /lL|Ll/.test(suffix)) {
    return { kind: "error", message: `invalid suffix '${suffix}' on integer constant` };
  }
  if (value > ULLONG_MAX) {
    return { kind: "error", message: "integer constant is too large for its type" };
  }
  const decimal = base === 10;
  // Candidate types in order (C99 6.4.4.1); int and long have the same range on ILP32.
  let type: IntType;
  if (longs === 0 && !unsigned && value <= INT_MAX) type = intType;
  else if (longs === 0 && !decimal && value <= UINT_MAX && !unsigned) type = uintType;
  else if (longs === 0 && unsigned && value <= UINT_MAX) type = uintType;
  else if (longs === 1 && !unsigned && value <= INT_MAX) type = longType;
  else if (longs === 1 && (unsigned || !decimal) && value <= UINT_MAX) type = ulongType;
  else if (!unsigned && value <= LLONG_MAX) type = llongType;
  else if (unsigned || !decimal) type = ullongType;
  else {
    // gcc: "integer constant is so large that it is unsigned"; keep its value.
    type = ullongType;
  }
  return { kind: "int", value, type };
}

function floatSuffix(text: string, end: number): { type: FloatType; bad: boolean } {
  const suffix = text.slice(end);
  if (suffix === "") return { type: doubleType, bad: false };
  if (suffix === "f" || suffix === "F") return { type: floatType, bad: false };
  if (suffix === "l" || suffix === "L") return { type: doubleType, bad: false };
  return { type: doubleType, bad: true };
}

function parseDecimalFloat(text: string): NumberResult {
  let end = 0;
  let sawExpDigit = true;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if ((c >= 48 && c <= 57) || c === 46) {
      end++;
    } else if ((c | 0x20) === 101) {
      end++;
      const s = text.charCodeAt(end);
      if (s === 43 || s === 45) end++;
      sawExpDigit = false;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d < 48 || d > 57) break;
        sawExpDigit = true;
        end++;
      }
      break;
    } else {
      break;
    }
  }
  if (!sawExpDigit) return { kind: "error", message: "exponent has no digits" };
  const { type, bad } = floatSuffix(text, end);
  if (bad) {
    return { kind: "error", message: `invalid suffix '${text.slice(end)}' on floating constant` };
  }
  const spelled = text.slice(0, end);
  const v = Number(spelled);
  if (Number.isNaN(v)) return { kind: "error", message: `invalid floating constant '${text}'` };
  return { kind: "float", value: type.size === 4 ? decimalToFloat(spelled) : v, type };
}

function parseHexFloat(text: string): NumberResult {
  let i = 2;
  let mantissa = 0n;
  let fracDigits = 0;
  let digits = 0;
  let seenDot = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (seenDot) break;
      seenDot = true;
      continue;
    }
    const d = digitValue(c);
    if (d >= 16) break;
    mantissa = mantissa * 16n + BigInt(d);
    digits++;
    if (seenDot) fracDigits++;
  }
  if (digits === 0 || (text.charCodeAt(i) | 0x20) !== 112) {
    return { kind: "error", message: "hexadecimal floating constant requires an exponent" };
  }
  i++;
  let sign = 1;
  if (text[i] === "+" || text[i] === "-") {
    if (text[i] === "-") sign = -1;
    i++;
  }
  let exp = 0;
  const expStart = i;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    exp = Math.min(exp * 10 + (c - 48), 100000);
    i++;
  }
  if (i === expStart) return { kind: "error", message: "exponent has no digits" };
  const { type, bad } = floatSuffix(text, i);
  if (bad) {
    return { kind: "error", message: `invalid suffix '${text.slice(i)}' on floating constant` };
  }
  const v = roundBinary(mantissa, sign * exp - 4 * fracDigits, type.size === 4 ? 24 : 53);
  return { kind: "float", value: v, type };
}
