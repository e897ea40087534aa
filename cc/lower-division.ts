// 32-bit division by a constant as a multiplication (Granlund & Montgomery, "Division by
// invariant integers using multiplication", 1994). V8 does this itself, but with x86's
// one-operand `mul`/`imul`, which pins rax and rdx and costs register moves and spills in a hot
// loop; the same arithmetic written as one i64 multiply and shift compiles to `imul r64, imm`.

import type { CodeWriter } from "../wasm/index.ts";

export interface DivisionMagic {
  /** The multiplier: below 2^32, or (unsigned only) 2^32 + m' with m' below 2^32. */
  m: bigint;
  /** Total right shift, 32 + s. */
  shift: bigint;
}

const TWO32 = 1n << 32n;

/**
 * The smallest-shift multiplier with floor(x * m / 2^shift) == floor(x / d) for every x in
 * [0, 2^32) (unsigned) or [-2^31, 2^31] before the truncation fix-up (signed). Undefined for
 * divisors this does not help: below 3 or powers of two (V8 shifts), and signed divisors whose
 * multiplier would not fit 32 bits.
 */
export function divisionMagic(d: number, signed: boolean): DivisionMagic | undefined {
  if (!Number.isInteger(d) || d < 3 || d > 0xffffffff || (d & (d - 1)) === 0) return undefined;
  if (signed && d > 0x7fffffff) return undefined;
  const divisor = BigInt(d);
  const range = signed ? 1n << 31n : TWO32 - 1n;
  for (let s = 0n; s <= 32n; s++) {
    const shift = 32n + s;
    const m = ((1n << shift) + divisor - 1n) / divisor;
    if (m >= (signed ? TWO32 : 2n * TWO32)) return undefined;
    const error = m * divisor - (1n << shift);
    if (error * range < 1n << shift) return { m, shift };
  }
  return undefined;
}

/**
 * Replaces the i32 dividend on the stack by its quotient. `x` is a free i32 local, `wide` a free
 * i64 local (used only by unsigned multipliers of 33 bits).
 */
export function emitDivision(
  w: CodeWriter,
  magic: DivisionMagic,
  signed: boolean,
  x: number,
  wide: () => number,
): void {
  const { m, shift } = magic;
  if (signed) {
    // floor(x * m / 2^shift) is one below the truncated quotient for negative x: add x < 0.
    w.localTee(x).op("i64_extend_i32_s").i64Const(m).op("i64_mul");
    w.i64Const(shift).op("i64_shr_s").op("i32_wrap_i64");
    w.localGet(x).i32Const(31).op("i32_shr_s").op("i32_sub");
    return;
  }
  if (m < TWO32) {
    w.op("i64_extend_i32_u").i64Const(m).op("i64_mul");
    w.i64Const(shift).op("i64_shr_u").op("i32_wrap_i64");
    return;
  }
  // x * (2^32 + m') / 2^shift = ((x * m' >> 32) + x) >> (shift - 32), all below 2^64.
  const t = wide();
  w.op("i64_extend_i32_u")
    .localTee(t)
    .i64Const(m - TWO32)
    .op("i64_mul");
  w.i64Const(32n).op("i64_shr_u").localGet(t).op("i64_add");
  w.i64Const(shift - 32n)
    .op("i64_shr_u")
    .op("i32_wrap_i64");
}
