// WebAssembly SIMD128 (fixed-width, phase 5, in V8 since Node 16): the sub-opcodes after the
// 0xfd prefix and the immediate each one carries. The whole proposal is listed so foreign
// modules (clang -msimd128, Rust, Zig) decode, verify and print; KP-C emits a subset.

/** Immediate kinds of 0xfd instructions. */
export type SimdImmediate = "none" | "memarg" | "memarg_lane" | "v128" | "shuffle" | "lane";

const names: [number, string, SimdImmediate][] = [];
function at(code: number, imm: SimdImmediate, ...ops: string[]): void {
  ops.forEach((n, i) => {
    names.push([code + i, n, imm]);
  });
}

at(0, "memarg", "v128_load", "v128_load8x8_s", "v128_load8x8_u", "v128_load16x4_s");
at(4, "memarg", "v128_load16x4_u", "v128_load32x2_s", "v128_load32x2_u", "v128_load8_splat");
at(8, "memarg", "v128_load16_splat", "v128_load32_splat", "v128_load64_splat", "v128_store");
at(12, "v128", "v128_const");
at(13, "shuffle", "i8x16_shuffle");
at(14, "none", "i8x16_swizzle", "i8x16_splat", "i16x8_splat", "i32x4_splat", "i64x2_splat");
at(19, "none", "f32x4_splat", "f64x2_splat");
at(21, "lane", "i8x16_extract_lane_s", "i8x16_extract_lane_u", "i8x16_replace_lane");
at(24, "lane", "i16x8_extract_lane_s", "i16x8_extract_lane_u", "i16x8_replace_lane");
at(27, "lane", "i32x4_extract_lane", "i32x4_replace_lane");
at(29, "lane", "i64x2_extract_lane", "i64x2_replace_lane");
at(31, "lane", "f32x4_extract_lane", "f32x4_replace_lane");
at(33, "lane", "f64x2_extract_lane", "f64x2_replace_lane");
const intCmp = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
const floatCmp = ["eq", "ne", "lt", "gt", "le", "ge"];
at(35, "none", ...intCmp.map((c) => `i8x16_${c}`));
at(45, "none", ...intCmp.map((c) => `i16x8_${c}`));
at(55, "none", ...intCmp.map((c) => `i32x4_${c}`));
at(65, "none", ...floatCmp.map((c) => `f32x4_${c}`));
at(71, "none", ...floatCmp.map((c) => `f64x2_${c}`));
at(77, "none", "v128_not", "v128_and", "v128_andnot", "v128_or", "v128_xor", "v128_bitselect");
at(83, "none", "v128_any_true");
at(84, "memarg_lane", "v128_load8_lane", "v128_load16_lane", "v128_load32_lane");
at(87, "memarg_lane", "v128_load64_lane", "v128_store8_lane", "v128_store16_lane");
at(90, "memarg_lane", "v128_store32_lane", "v128_store64_lane");
at(92, "memarg", "v128_load32_zero", "v128_load64_zero");
at(94, "none", "f32x4_demote_f64x2_zero", "f64x2_promote_low_f32x4");
at(96, "none", "i8x16_abs", "i8x16_neg", "i8x16_popcnt", "i8x16_all_true", "i8x16_bitmask");
at(101, "none", "i8x16_narrow_i16x8_s", "i8x16_narrow_i16x8_u");
at(103, "none", "f32x4_ceil", "f32x4_floor", "f32x4_trunc", "f32x4_nearest");
at(107, "none", "i8x16_shl", "i8x16_shr_s", "i8x16_shr_u", "i8x16_add", "i8x16_add_sat_s");
at(112, "none", "i8x16_add_sat_u", "i8x16_sub", "i8x16_sub_sat_s", "i8x16_sub_sat_u");
at(116, "none", "f64x2_ceil", "f64x2_floor", "i8x16_min_s", "i8x16_min_u", "i8x16_max_s");
at(121, "none", "i8x16_max_u", "f64x2_trunc", "i8x16_avgr_u");
at(124, "none", "i16x8_extadd_pairwise_i8x16_s", "i16x8_extadd_pairwise_i8x16_u");
at(126, "none", "i32x4_extadd_pairwise_i16x8_s", "i32x4_extadd_pairwise_i16x8_u");
at(128, "none", "i16x8_abs", "i16x8_neg", "i16x8_q15mulr_sat_s", "i16x8_all_true");
at(132, "none", "i16x8_bitmask", "i16x8_narrow_i32x4_s", "i16x8_narrow_i32x4_u");
at(135, "none", "i16x8_extend_low_i8x16_s", "i16x8_extend_high_i8x16_s");
at(137, "none", "i16x8_extend_low_i8x16_u", "i16x8_extend_high_i8x16_u");
at(139, "none", "i16x8_shl", "i16x8_shr_s", "i16x8_shr_u", "i16x8_add", "i16x8_add_sat_s");
at(144, "none", "i16x8_add_sat_u", "i16x8_sub", "i16x8_sub_sat_s", "i16x8_sub_sat_u");
at(148, "none", "f64x2_nearest", "i16x8_mul", "i16x8_min_s", "i16x8_min_u", "i16x8_max_s");
at(153, "none", "i16x8_max_u");
at(155, "none", "i16x8_avgr_u", "i16x8_extmul_low_i8x16_s", "i16x8_extmul_high_i8x16_s");
at(158, "none", "i16x8_extmul_low_i8x16_u", "i16x8_extmul_high_i8x16_u");
at(160, "none", "i32x4_abs", "i32x4_neg");
at(163, "none", "i32x4_all_true", "i32x4_bitmask");
at(167, "none", "i32x4_extend_low_i16x8_s", "i32x4_extend_high_i16x8_s");
at(169, "none", "i32x4_extend_low_i16x8_u", "i32x4_extend_high_i16x8_u");
at(171, "none", "i32x4_shl", "i32x4_shr_s", "i32x4_shr_u", "i32x4_add");
at(177, "none", "i32x4_sub");
at(181, "none", "i32x4_mul", "i32x4_min_s", "i32x4_min_u", "i32x4_max_s", "i32x4_max_u");
at(186, "none", "i32x4_dot_i16x8_s");
at(188, "none", "i32x4_extmul_low_i16x8_s", "i32x4_extmul_high_i16x8_s");
at(190, "none", "i32x4_extmul_low_i16x8_u", "i32x4_extmul_high_i16x8_u");
at(192, "none", "i64x2_abs", "i64x2_neg");
at(195, "none", "i64x2_all_true", "i64x2_bitmask");
at(199, "none", "i64x2_extend_low_i32x4_s", "i64x2_extend_high_i32x4_s");
at(201, "none", "i64x2_extend_low_i32x4_u", "i64x2_extend_high_i32x4_u");
at(203, "none", "i64x2_shl", "i64x2_shr_s", "i64x2_shr_u", "i64x2_add");
at(209, "none", "i64x2_sub");
at(213, "none", "i64x2_mul", "i64x2_eq", "i64x2_ne", "i64x2_lt_s", "i64x2_gt_s", "i64x2_le_s");
at(219, "none", "i64x2_ge_s", "i64x2_extmul_low_i32x4_s", "i64x2_extmul_high_i32x4_s");
at(222, "none", "i64x2_extmul_low_i32x4_u", "i64x2_extmul_high_i32x4_u");
at(224, "none", "f32x4_abs", "f32x4_neg");
at(227, "none", "f32x4_sqrt", "f32x4_add", "f32x4_sub", "f32x4_mul", "f32x4_div");
at(232, "none", "f32x4_min", "f32x4_max", "f32x4_pmin", "f32x4_pmax");
at(236, "none", "f64x2_abs", "f64x2_neg");
at(239, "none", "f64x2_sqrt", "f64x2_add", "f64x2_sub", "f64x2_mul", "f64x2_div");
at(244, "none", "f64x2_min", "f64x2_max", "f64x2_pmin", "f64x2_pmax");
at(248, "none", "i32x4_trunc_sat_f32x4_s", "i32x4_trunc_sat_f32x4_u");
at(250, "none", "f32x4_convert_i32x4_s", "f32x4_convert_i32x4_u");
at(252, "none", "i32x4_trunc_sat_f64x2_s_zero", "i32x4_trunc_sat_f64x2_u_zero");
at(254, "none", "f64x2_convert_low_i32x4_s", "f64x2_convert_low_i32x4_u");

/** Sub-opcodes after the 0xfd prefix, by name ("i16x8_add"). */
export const OpFD: Readonly<Record<string, number>> = Object.fromEntries(
  names.map(([code, name]) => [name, code]),
);
export type OpFDName = string;

/** Per sub-opcode: the text-format mnemonic and the immediate. */
export const SIMD_OPS: readonly ({ name: string; immediate: SimdImmediate } | undefined)[] =
  (() => {
    const out: ({ name: string; immediate: SimdImmediate } | undefined)[] = [];
    for (const [code, name, immediate] of names) {
      out[code] = { name: name.replace("_", "."), immediate };
    }
    return out;
  })();

/** Natural alignment (bytes) of a 0xfd memory access, by mnemonic. */
export function simdNaturalAlignment(name: string): number {
  const m = /^v128\.(?:load|store)(8|16|32|64)?(x\d)?/.exec(name);
  if (!m?.[1]) return 16;
  if (m[2]) return 8; // load8x8_s etc read 64 bits
  return Number(m[1]) / 8;
}
