// The text of include/wasm_simd128.h, generated from the intrinsic table (see
// scripts/gen-simd-header.ts): one prototype per intrinsic, as clang's header names them.

import { type SimdEntry, type SimdParam, simdIntrinsics } from "./simd-intrinsics.ts";

function paramText(p: SimdParam, i: number, entry: SimdEntry): string {
  const lanes = entry.lowering.k === "shuffle" || entry.lowering.k === "make";
  const name =
    lanes && i >= (entry.lowering.k === "shuffle" ? 2 : 0)
      ? `c${i - (entry.lowering.k === "shuffle" ? 2 : 0)}`
      : String.fromCharCode(97 + i);
  switch (p.k) {
    case "value":
      return `${p.c} ${name}`;
    case "lane":
      return `int ${name}`;
    case "ptr":
      return `${p.c}mem`;
  }
}

export function simdHeaderText(): string {
  const lines = [
    "/* wasm_simd128.h - WebAssembly SIMD128 intrinsics for KP-C, named and typed as clang's",
    " * <wasm_simd128.h> so that code written for clang ports unchanged. Generated from",
    " * cc/simd-intrinsics.ts by scripts/gen-simd-header.ts: do not edit.",
    " *",
    " * v128_t holds 128 bits in a wasm v128 value; it has no C operators. Every function below",
    " * compiles to one or a few wasm instructions (no call, no fuel). Lane indices (extract,",
    " * replace, shuffle) and the arguments of the _const forms must be integer constants. */",
    "#ifndef __WASM_SIMD128_H",
    "#define __WASM_SIMD128_H",
    "",
    "#include <stdbool.h>",
    "#include <stdint.h>",
    "",
    "typedef __kplug_v128 v128_t;",
    "",
    "static inline v128_t wasm_v128_load(const void *mem) { return *(const v128_t *)mem; }",
    "static inline void wasm_v128_store(void *mem, v128_t a) { *(v128_t *)mem = a; }",
    "",
  ];
  for (const e of simdIntrinsics) {
    const params = e.params.map((p, i) => paramText(p, i, e)).join(", ");
    lines.push(`${e.ret ? e.ret.c : "void"} ${e.name}(${params});`);
  }
  lines.push("", "#endif", "");
  return lines.join("\n");
}
