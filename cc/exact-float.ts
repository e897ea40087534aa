// Correctly rounded conversions to float and double for constant folding and literals.
// JavaScript has only double arithmetic, so the obvious `Math.fround(Number(x))` rounds twice
// (to 53 bits, then to 24) and can land on the wrong float when the first rounding produces an
// exact tie: `(float)1152921573326323713LL` and `1.0000000596046447753906251f` are the cases
// gcc folds differently. Here every value is rounded once, from its exact (BigInt) form.

/** The binary formats KP-C has: float (24-bit significand) and double (53). */
export type Precision = 24 | 53;

/** Exponent of the smallest subnormal's unit in the last place, per format. */
function minLsb(p: Precision): number {
  return p === 24 ? -149 : -1074;
}

function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/**
 * `m × 2^e` (m ≥ 0) rounded once to the nearest value of the format (ties to even), with
 * subnormals and overflow to infinity.
 */
export function roundBinary(m: bigint, e: number, p: Precision): number {
  if (m === 0n) return 0;
  const top = bitLength(m) - 1 + e; // exponent of the leading bit
  const lsb = Math.max(top - (p - 1), minLsb(p));
  const shift = lsb - e;
  let q = m;
  if (shift > 0) {
    const s = BigInt(shift);
    q = m >> s;
    const rem = m - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  } else if (shift < 0) {
    // Exact: fewer than p bits. Scale in two steps so 2^e never underflows on its own.
    return finish(Number(m) * 2 ** e, p);
  }
  // q ≤ 2^p fits a double exactly; 2^lsb ≥ the smallest subnormal of the format.
  return finish(Number(q) * 2 ** lsb, p);
}

function finish(x: number, p: Precision): number {
  return p === 24 ? Math.fround(x) : x;
}

/** An integer constant converted to float or double, rounded once. */
export function intToFloat(v: bigint, p: Precision): number {
  if (p === 53 || (v > -(1n << 53n) && v < 1n << 53n)) {
    // Number(bigint) is correctly rounded; below 2^53 it is exact, so fround rounds once.
    const d = Number(v);
    return p === 24 ? Math.fround(d) : d;
  }
  const r = roundBinary(v < 0n ? -v : v, 0, p);
  return v < 0n ? -r : r;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

const FLT_MAX = (2 - 2 ** -23) * 2 ** 127;

/** A finite positive double as m × 2^e with integer m. */
function decompose(x: number): { m: bigint; e: number } {
  f64[0] = x;
  const bits = u64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { m: frac, e: -1074 } : { m: frac | (1n << 52n), e: biased - 1075 };
}

/** The float next to `f` (a float) in the direction of `toward`. */
function nextFloat(f: number, toward: number): number {
  const a = new Float32Array([f]);
  const u = new Uint32Array(a.buffer);
  if (f === 0) u[0] = toward > 0 ? 1 : 0x80000001;
  else u[0] = u[0]! + (toward > f === f > 0 ? 1 : -1);
  return a[0]!;
}

/** Sign of `d × 10^k − m × 2^e`, all exact. */
function compareDecimal(d: bigint, k: number, m: bigint, e: number): number {
  let lhs = d;
  let rhs = m;
  if (k >= 0) lhs *= 10n ** BigInt(k);
  else rhs *= 10n ** BigInt(-k);
  if (e >= 0) rhs <<= BigInt(e);
  else lhs <<= BigInt(-e);
  return lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
}

/**
 * A decimal floating literal (digits, optional '.', optional exponent; no suffix, no sign)
 * rounded once to float. `Number()` rounds correctly to double; the double rounds correctly
 * to float unless it is exactly halfway between two floats, and only then is the decision
 * made from the exact decimal value.
 */
export function decimalToFloat(text: string): number {
  const d = Number(text);
  const f = Math.fround(d);
  if (f === d || d === 0 || !Number.isFinite(d)) return f;
  // Past FLT_MAX the neighbour is 2^128 (infinity); the midpoint is still a double.
  const overflow = !Number.isFinite(f);
  const other = overflow ? Math.sign(d) * FLT_MAX : nextFloat(f, d);
  const midpoint = overflow ? Math.sign(d) * (2 ** 128 - 2 ** 103) : (f + other) / 2;
  if (!Number.isFinite(other) || midpoint !== d) return f;
  const { digits, exp10 } = splitDecimal(text);
  const { m, e } = decompose(d);
  const c = compareDecimal(digits, exp10, m, e);
  if (c === 0) return f; // a true tie: fround already chose the even one
  // Above the midpoint rounds to the larger magnitude, below to the smaller.
  const larger = Math.abs(other) > Math.abs(f) ? other : f;
  const smaller = larger === f ? other : f;
  return c > 0 ? larger : smaller;
}

/** `text` = digits × 10^exp10 exactly. */
function splitDecimal(text: string): { digits: bigint; exp10: number } {
  const ePos = text.search(/[eE]/);
  const mantissa = ePos < 0 ? text : text.slice(0, ePos);
  const exp = ePos < 0 ? 0 : Number.parseInt(text.slice(ePos + 1), 10);
  const dot = mantissa.indexOf(".");
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  const all = mantissa.replace(".", "");
  return { digits: BigInt(all === "" ? "0" : all), exp10: exp - fraction };
}
