// The <math.h> built-ins beyond libc.ts's table: frexp, ldexp, modf, rint, nearbyint, lrint,
// lround, copysign, nextafter, expm1, log1p, the classification helpers behind the signbit and
// fpclassify macros, their float variants, and errno where glibc sets it (EDOM for a domain
// error, ERANGE for a pole or overflow; glibc leaves errno alone on underflow) for sqrt, log*, pow, exp*, acos,
// asin, fmod. All O(1): no fuel beyond the call (see fuel.ts).

import { EDOM, ERANGE, errnoOf } from "./errno.ts";
import { HostTrap, inNullPage, nullPointerTrap } from "./faults.ts";
import type { Runtime } from "./runtime.ts";
import type { AnyFunction } from "./upcall.ts";

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * x·2^n rounded once: x·2^e is one IEEE multiplication (so one rounding) while 2^e is a
 * finite double; beyond, large powers are applied in exact steps and tiny results are rounded
 * from the significand's bits.
 */
export function ldexp(x: number, n: number): number {
  let e = Math.max(-2200, Math.min(2200, n));
  let v = x;
  while (e > 1023) {
    v *= 2 ** 1023;
    e -= 1023;
  }
  return e < -1022 ? roundTiny(v, e) : v * 2 ** e;
}

/** v·2^e for tiny results, rounded once (half to even) through the exact significand. */
function roundTiny(v: number, e: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const [m, ex] = frexpParts(v);
  // v = m·2^ex with m in [0.5, 1): the significand as a 53-bit integer.
  const sig = BigInt(m * 2 ** 53) * (v < 0 ? -1n : 1n);
  const lsb = ex - 53 + e; // v·2^e = sig·2^lsb
  const shift = -1074 - lsb;
  if (shift <= 0) return Number(sig) * 2 ** lsb;
  if (shift > 60) return v < 0 ? -0 : 0;
  const abs = sig < 0n ? -sig : sig;
  let q = abs >> BigInt(shift);
  const r = abs - (q << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (r > half || (r === half && (q & 1n) === 1n)) q += 1n;
  const out = Number(q) * 2 ** -1074;
  return v < 0 ? -out : out;
}

/** x = m·2^e with |m| in [0.5, 1) (m = x and e = 0 for 0, inf, nan). */
function frexpParts(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  f64[0] = x;
  let exp = Number((u64[0]! >> 52n) & 0x7ffn);
  let adjust = 0;
  if (exp === 0) {
    f64[0] = x * 2 ** 64; // subnormal: normalize first
    exp = Number((u64[0]! >> 52n) & 0x7ffn);
    adjust = -64;
  }
  u64[0] = (u64[0]! & ~(0x7ffn << 52n)) | (1022n << 52n);
  return [f64[0]!, exp - 1022 + adjust];
}

/** Round half to even (rint/nearbyint in the default rounding mode). */
function rint(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
  const r = Math.round(x); // halves up
  const out = r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return out === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : out;
}

/** C round(): halves away from zero. */
function roundAway(x: number): number {
  const t = Math.trunc(x);
  if (Math.abs(x - t) >= 0.5) return t + Math.sign(x);
  return t === 0 ? x * 0 : t;
}

function signbit(x: number): number {
  f64[0] = x;
  return Number(u64[0]! >> 63n);
}

function copysign(x: number, y: number): number {
  f64[0] = y;
  const negative = u64[0]! >> 63n;
  f64[0] = x;
  u64[0] = (u64[0]! & ~(1n << 63n)) | (negative << 63n);
  return f64[0]!;
}

/** The next double after x toward y. */
function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return x + y;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 2 ** -1074 : -(2 ** -1074);
  f64[0] = x;
  u64[0] = x < y === x > 0 ? u64[0]! + 1n : u64[0]! - 1n;
  return f64[0]!;
}

function nextafterf(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Math.fround(x + y);
  if (x === y) return Math.fround(y);
  if (x === 0) return y > 0 ? 2 ** -149 : -(2 ** -149);
  f32[0] = x;
  u32[0] = x < y === x > 0 ? u32[0]! + 1 : u32[0]! - 1;
  return f32[0]!;
}

// glibc's FP_* values.
const FP_NAN = 0;
const FP_INFINITE = 1;
const FP_ZERO = 2;
const FP_SUBNORMAL = 3;
const FP_NORMAL = 4;

function classify(x: number, tiny: number): number {
  if (Number.isNaN(x)) return FP_NAN;
  if (!Number.isFinite(x)) return FP_INFINITE;
  if (x === 0) return FP_ZERO;
  return Math.abs(x) < tiny ? FP_SUBNORMAL : FP_NORMAL;
}

/** C long (32 bits) from a rounded double: out of range or NaN gives LONG_MIN, as on i386. */
const toLong = (x: number) =>
  Number.isFinite(x) && x >= -(2 ** 31) && x < 2 ** 31 ? x : -(2 ** 31);
const toLongLong = (x: number) =>
  Number.isFinite(x) && x >= -(2 ** 63) && x < 2 ** 63 ? BigInt(x) : -(2n ** 63n);

export function makeMathFunctions(runtime: Runtime | undefined): Record<string, AnyFunction> {
  const rt = runtime as Runtime;
  const setErrno = (code: number) => errnoOf(rt).set(code);
  /** Checks a pointer argument to an object of `n` bytes; returns it unsigned. */
  const out = (p: number, n: number, what: string): number => {
    const at = p >>> 0;
    if (inNullPage(at)) throw nullPointerTrap(what, at);
    if (at + n > rt.views.fresh().u8.length) {
      throw new HostTrap("out-of-bounds", `${what}: ${at} is outside the memory`);
    }
    return at;
  };
  /** Sets errno as glibc does for a result r of finite arguments: EDOM for NaN, ERANGE for inf. */
  const checked =
    (fn: (...a: number[]) => number, round: (x: number) => number = (x) => x) =>
    (...args: number[]) => {
      const r = round(fn(...args));
      if (args.every((a) => !Number.isNaN(a))) {
        if (Number.isNaN(r)) setErrno(EDOM);
        else if (!Number.isFinite(r) && args.every(Number.isFinite)) setErrno(ERANGE);
      }
      return r;
    };
  const fmod = (x: number, y: number) => x % y;
  const frexp = (round: (x: number) => number) => (x: number, e: number) => {
    const at = out(e, 4, "frexp");
    const [m, ex] = frexpParts(x);
    rt.views.dv.setInt32(at, ex, true);
    return round(m);
  };
  const modf = (x: number, ip: number, size: 4 | 8) => {
    const at = out(ip, size, "modf");
    const whole = Number.isFinite(x) ? Math.trunc(x) : x;
    const frac = Number.isNaN(x) ? x : Number.isFinite(x) ? copysign(x - whole, x) : copysign(0, x);
    if (size === 8) rt.views.dv.setFloat64(at, whole, true);
    else rt.views.dv.setFloat32(at, whole, true);
    return frac;
  };
  const fr = Math.fround;
  return {
    sqrt: checked(Math.sqrt),
    sqrtf: checked(Math.sqrt, fr),
    log: checked(Math.log),
    logf: checked(Math.log, fr),
    log2: checked(Math.log2),
    log2f: checked(Math.log2, fr),
    log10: checked(Math.log10),
    log10f: checked(Math.log10, fr),
    log1p: checked(Math.log1p),
    log1pf: checked(Math.log1p, fr),
    exp: checked(Math.exp),
    expf: checked(Math.exp, fr),
    expm1: checked(Math.expm1),
    expm1f: checked(Math.expm1, fr),
    pow: checked(Math.pow),
    powf: checked(Math.pow, fr),
    acos: checked(Math.acos),
    acosf: checked(Math.acos, fr),
    asin: checked(Math.asin),
    asinf: checked(Math.asin, fr),
    fmod: checked(fmod),
    fmodf: checked(fmod, fr),
    frexp: frexp((x) => x),
    frexpf: frexp(fr),
    ldexp: (x: number, n: number) => ldexp(x, n),
    ldexpf: (x: number, n: number) => fr(ldexp(x, n)), // exact in double, rounded once to float
    scalbn: (x: number, n: number) => ldexp(x, n),
    modf: (x: number, ip: number) => modf(x, ip, 8),
    modff: (x: number, ip: number) => modf(x, ip, 4),
    rint,
    rintf: rint,
    nearbyint: rint,
    nearbyintf: rint,
    lrint: (x: number) => toLong(rint(x)),
    lrintf: (x: number) => toLong(rint(x)),
    llrint: (x: number) => toLongLong(rint(x)),
    lround: (x: number) => toLong(roundAway(x)),
    lroundf: (x: number) => toLong(roundAway(x)),
    llround: (x: number) => toLongLong(roundAway(x)),
    copysign,
    copysignf: (x: number, y: number) => fr(copysign(x, y)),
    nextafter,
    nextafterf,
    fdim: (x: number, y: number) =>
      Number.isNaN(x) || Number.isNaN(y) ? x + y : x > y ? x - y : 0,
    __signbit: signbit,
    __fpclassify: (x: number) => classify(x, 2 ** -1022),
    __fpclassifyf: (x: number) => classify(x, 2 ** -126),
  };
}
