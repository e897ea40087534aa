// The wasm SIMD128 intrinsics of <wasm_simd128.h>, named and typed as clang's header so that
// code written for clang ports unchanged. Each is an undefined extern prototype in
// include/wasm_simd128.h (generated from this table by scripts/gen-simd-header.ts) that
// lowers to wasm instructions: no import, no call, no fuel (like memcpy and sqrt).
// wasm_v128_load/store are plain C in the header (a dereference of `v128_t *`), so they get
// the null checks and redundant-load elimination of every other access.

import type { ValType } from "../wasm/index.ts";

/** A parameter: a value of a wasm type (`c` is its C spelling), a lane index, a pointer. */
export type SimdParam =
  | { k: "value"; vt: ValType; c: string }
  | { k: "lane"; count: number }
  | { k: "ptr"; c: string };

export type SimdLowering =
  /** Operands pushed in order, then one instruction. */
  | { k: "op"; op: string }
  /** The pointer, then a load (`align`: log2 of the natural alignment). */
  | { k: "load"; op: string; align: number }
  /** Lane constants as an immediate: extract_lane, replace_lane (value, lane, [scalar]). */
  | { k: "lane"; op: string }
  /** i8x16.shuffle of two vectors; lanes of `width` bytes. */
  | { k: "shuffle"; width: number }
  /** A vector from scalars: v128.const if all are constants, else splat + replace_lane. */
  | { k: "make"; lane: LaneType }
  /** A constant splat (all lanes equal): v128.const. */
  | { k: "constSplat"; lane: LaneType };

export interface SimdEntry {
  name: string;
  ret: { vt: ValType; c: string } | undefined;
  params: SimdParam[];
  lowering: SimdLowering;
}

/** A lane shape: its count, its wasm scalar and its C type. */
export interface LaneType {
  shape: "i8x16" | "i16x8" | "i32x4" | "i64x2" | "f32x4" | "f64x2";
  count: number;
  bytes: number;
  vt: ValType;
  c: string;
}

const V = { vt: "v128", c: "v128_t" } as const;
const v: SimdParam = { k: "value", vt: "v128", c: "v128_t" };
const lanes = {
  i8: { shape: "i8x16", count: 16, bytes: 1, vt: "i32", c: "int8_t" },
  u8: { shape: "i8x16", count: 16, bytes: 1, vt: "i32", c: "uint8_t" },
  i16: { shape: "i16x8", count: 8, bytes: 2, vt: "i32", c: "int16_t" },
  u16: { shape: "i16x8", count: 8, bytes: 2, vt: "i32", c: "uint16_t" },
  i32: { shape: "i32x4", count: 4, bytes: 4, vt: "i32", c: "int32_t" },
  u32: { shape: "i32x4", count: 4, bytes: 4, vt: "i32", c: "uint32_t" },
  i64: { shape: "i64x2", count: 2, bytes: 8, vt: "i64", c: "int64_t" },
  u64: { shape: "i64x2", count: 2, bytes: 8, vt: "i64", c: "uint64_t" },
  f32: { shape: "f32x4", count: 4, bytes: 4, vt: "f32", c: "float" },
  f64: { shape: "f64x2", count: 2, bytes: 8, vt: "f64", c: "double" },
} as const satisfies Record<string, LaneType>;
type LaneKey = keyof typeof lanes;

const entries: SimdEntry[] = [];
const add = (name: string, ret: SimdEntry["ret"], params: SimdParam[], lowering: SimdLowering) =>
  entries.push({ name, ret, params, lowering });
const scalar = (l: LaneType): SimdParam => ({ k: "value", vt: l.vt, c: l.c });
const ptr = (c = "const void *"): SimdParam => ({ k: "ptr", c });
const u32 = { k: "value", vt: "i32", c: "uint32_t" } as const;

// Loads (wasm_v128_load and wasm_v128_store are C in the header).
for (const [name, op, align] of [
  ["wasm_v128_load8_splat", "v128_load8_splat", 0],
  ["wasm_v128_load16_splat", "v128_load16_splat", 1],
  ["wasm_v128_load32_splat", "v128_load32_splat", 2],
  ["wasm_v128_load64_splat", "v128_load64_splat", 3],
  ["wasm_i16x8_load8x8", "v128_load8x8_s", 3],
  ["wasm_u16x8_load8x8", "v128_load8x8_u", 3],
  ["wasm_i32x4_load16x4", "v128_load16x4_s", 3],
  ["wasm_u32x4_load16x4", "v128_load16x4_u", 3],
  ["wasm_i64x2_load32x2", "v128_load32x2_s", 3],
  ["wasm_u64x2_load32x2", "v128_load32x2_u", 3],
  ["wasm_v128_load32_zero", "v128_load32_zero", 2],
  ["wasm_v128_load64_zero", "v128_load64_zero", 3],
] as const) {
  add(name, V, [ptr()], { k: "load", op, align });
}

// Construction: make (any scalars), const (constants only), splat.
for (const key of Object.keys(lanes) as LaneKey[]) {
  const l = lanes[key];
  const ps = Array.from({ length: l.count }, () => scalar(l));
  add(`wasm_${key}x${l.count}_make`, V, ps, { k: "make", lane: l });
  add(`wasm_${key}x${l.count}_const`, V, ps, { k: "make", lane: l });
  add(`wasm_${key}x${l.count}_const_splat`, V, [scalar(l)], { k: "constSplat", lane: l });
  add(`wasm_${key}x${l.count}_splat`, V, [scalar(l)], { k: "op", op: `${l.shape}_splat` });
  const signed = key.startsWith("i") || key.startsWith("f");
  const suffix = l.shape === "i8x16" || l.shape === "i16x8" ? (signed ? "_s" : "_u") : "";
  add(
    `wasm_${key}x${l.count}_extract_lane`,
    { vt: l.vt, c: l.c },
    [v, { k: "lane", count: l.count }],
    { k: "lane", op: `${l.shape}_extract_lane${suffix}` },
  );
  add(`wasm_${key}x${l.count}_replace_lane`, V, [v, { k: "lane", count: l.count }, scalar(l)], {
    k: "lane",
    op: `${l.shape}_replace_lane`,
  });
}

// Shuffles and swizzle.
for (const [shape, count, width] of [
  ["i8x16", 16, 1],
  ["i16x8", 8, 2],
  ["i32x4", 4, 4],
  ["i64x2", 2, 8],
] as const) {
  const ps: SimdParam[] = [v, v];
  for (let i = 0; i < count; i++) ps.push({ k: "lane", count: 2 * count });
  add(`wasm_${shape}_shuffle`, V, ps, { k: "shuffle", width });
}
const op = (name: string, wasmOp: string, arity: number, ret: SimdEntry["ret"] = V) =>
  add(name, ret, Array(arity).fill(v), { k: "op", op: wasmOp });
op("wasm_i8x16_swizzle", "i8x16_swizzle", 2);

// Bitwise.
op("wasm_v128_not", "v128_not", 1);
for (const b of ["and", "or", "xor", "andnot"]) op(`wasm_v128_${b}`, `v128_${b}`, 2);
op("wasm_v128_bitselect", "v128_bitselect", 3);
const bool = { vt: "i32", c: "bool" } as const;
op("wasm_v128_any_true", "v128_any_true", 1, bool);

// Integer lanes: i = signed view, u = unsigned view (clang names both where they differ).
for (const [shape, s, u] of [
  ["i8x16", "i8x16", "u8x16"],
  ["i16x8", "i16x8", "u16x8"],
  ["i32x4", "i32x4", "u32x4"],
  ["i64x2", "i64x2", "u64x2"],
] as const) {
  for (const name of [s, u]) {
    op(`wasm_${name}_add`, `${shape}_add`, 2);
    op(`wasm_${name}_sub`, `${shape}_sub`, 2);
    if (shape !== "i8x16") op(`wasm_${name}_mul`, `${shape}_mul`, 2);
    op(`wasm_${name}_eq`, `${shape}_eq`, 2);
    op(`wasm_${name}_ne`, `${shape}_ne`, 2);
    op(`wasm_${name}_all_true`, `${shape}_all_true`, 1, bool);
    op(`wasm_${name}_bitmask`, `${shape}_bitmask`, 1, { vt: "i32", c: "uint32_t" });
    add(`wasm_${name}_shl`, V, [v, u32], { k: "op", op: `${shape}_shl` });
  }
  op(`wasm_${s}_abs`, `${shape}_abs`, 1);
  op(`wasm_${s}_neg`, `${shape}_neg`, 1);
  add(`wasm_${s}_shr`, V, [v, u32], { k: "op", op: `${shape}_shr_s` });
  add(`wasm_${u}_shr`, V, [v, u32], { k: "op", op: `${shape}_shr_u` });
  const cmp = shape === "i64x2" ? ["lt", "gt", "le", "ge"].map((c) => [s, c, `${c}_s`]) : [];
  if (shape !== "i64x2") {
    for (const c of ["lt", "gt", "le", "ge"]) cmp.push([s, c, `${c}_s`], [u, c, `${c}_u`]);
    op(`wasm_${s}_min`, `${shape}_min_s`, 2);
    op(`wasm_${u}_min`, `${shape}_min_u`, 2);
    op(`wasm_${s}_max`, `${shape}_max_s`, 2);
    op(`wasm_${u}_max`, `${shape}_max_u`, 2);
  }
  for (const [name, c, w] of cmp) op(`wasm_${name}_${c}`, `${shape}_${w}`, 2);
  if (shape === "i8x16" || shape === "i16x8") {
    op(`wasm_${s}_add_sat`, `${shape}_add_sat_s`, 2);
    op(`wasm_${u}_add_sat`, `${shape}_add_sat_u`, 2);
    op(`wasm_${s}_sub_sat`, `${shape}_sub_sat_s`, 2);
    op(`wasm_${u}_sub_sat`, `${shape}_sub_sat_u`, 2);
    op(`wasm_${u}_avgr`, `${shape}_avgr_u`, 2);
  }
}
op("wasm_i8x16_popcnt", "i8x16_popcnt", 1);
op("wasm_u8x16_popcnt", "i8x16_popcnt", 1);
op("wasm_i16x8_q15mulr_sat", "i16x8_q15mulr_sat_s", 2);
op("wasm_i32x4_dot_i16x8", "i32x4_dot_i16x8_s", 2);

// Narrowing, widening, extended multiplies and pairwise adds.
for (const [to, from, wide, narrow] of [
  ["8x16", "16x8", "i16x8", "i8x16"],
  ["16x8", "32x4", "i32x4", "i16x8"],
] as const) {
  op(`wasm_i${to}_narrow_i${from}`, `${narrow}_narrow_${wide}_s`, 2);
  op(`wasm_u${to}_narrow_i${from}`, `${narrow}_narrow_${wide}_u`, 2);
}
for (const [to, from, wide, narrow] of [
  ["16x8", "8x16", "i16x8", "i8x16"],
  ["32x4", "16x8", "i32x4", "i16x8"],
  ["64x2", "32x4", "i64x2", "i32x4"],
] as const) {
  for (const half of ["low", "high"]) {
    op(`wasm_i${to}_extend_${half}_i${from}`, `${wide}_extend_${half}_${narrow}_s`, 1);
    op(`wasm_u${to}_extend_${half}_u${from}`, `${wide}_extend_${half}_${narrow}_u`, 1);
    op(`wasm_i${to}_extmul_${half}_i${from}`, `${wide}_extmul_${half}_${narrow}_s`, 2);
    op(`wasm_u${to}_extmul_${half}_u${from}`, `${wide}_extmul_${half}_${narrow}_u`, 2);
  }
  if (wide !== "i64x2") {
    op(`wasm_i${to}_extadd_pairwise_i${from}`, `${wide}_extadd_pairwise_${narrow}_s`, 1);
    op(`wasm_u${to}_extadd_pairwise_u${from}`, `${wide}_extadd_pairwise_${narrow}_u`, 1);
  }
}

// Floating point.
for (const shape of ["f32x4", "f64x2"] as const) {
  for (const o of ["add", "sub", "mul", "div", "min", "max", "pmin", "pmax"]) {
    op(`wasm_${shape}_${o}`, `${shape}_${o}`, 2);
  }
  for (const o of ["eq", "ne", "lt", "gt", "le", "ge"])
    op(`wasm_${shape}_${o}`, `${shape}_${o}`, 2);
  for (const o of ["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"]) {
    op(`wasm_${shape}_${o}`, `${shape}_${o}`, 1);
  }
}
op("wasm_f32x4_convert_i32x4", "f32x4_convert_i32x4_s", 1);
op("wasm_f32x4_convert_u32x4", "f32x4_convert_i32x4_u", 1);
op("wasm_i32x4_trunc_sat_f32x4", "i32x4_trunc_sat_f32x4_s", 1);
op("wasm_u32x4_trunc_sat_f32x4", "i32x4_trunc_sat_f32x4_u", 1);
op("wasm_f64x2_convert_low_i32x4", "f64x2_convert_low_i32x4_s", 1);
op("wasm_f64x2_convert_low_u32x4", "f64x2_convert_low_i32x4_u", 1);
op("wasm_f32x4_demote_f64x2_zero", "f32x4_demote_f64x2_zero", 1);
op("wasm_f64x2_promote_low_f32x4", "f64x2_promote_low_f32x4", 1);

/** Every intrinsic, in header order. */
export const simdIntrinsics: readonly SimdEntry[] = entries;

const byName = new Map(entries.map((e) => [e.name, e]));

/** The SIMD intrinsic named `name`, if there is one. */
export function simdIntrinsic(name: string): SimdEntry | undefined {
  return byName.get(name);
}
