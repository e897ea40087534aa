// Standard library functions that compile to single wasm instructions when the plugin calls
// them directly (and never takes their address): no import, no host call, no fuel charge.
// `round`, `fmin` and `fmax` are deliberately absent: their C semantics differ from
// `nearest`/`min`/`max` (ties away from zero; NaN and signed-zero handling).

import type { OpName } from "../wasm/index.ts";
import type { Var } from "./ast.ts";
import { type SimdEntry, simdIntrinsic } from "./simd-intrinsics.ts";
import { type FunctionType, isPointer, type Type, valType } from "./types.ts";

export type Intrinsic =
  | { kind: "copy" } // memcpy/memmove(dest, src, n) -> dest
  | { kind: "fill" } // memset(dest, c, n) -> dest
  | { kind: "unary"; op: OpName } // one float operand, one result
  | { kind: "bits"; op: BitOp; wide: boolean } // gcc's bit builtins; wide: 64-bit operand
  | { kind: "simd"; entry: SimdEntry } // <wasm_simd128.h>
  | { kind: "setjmp" } // <setjmp.h>: a re-entry point of a CFG-lowered function (lower-cfg.ts)
  | { kind: "alloca" }; // alloca(n): n bytes of the caller's stack frame, freed at its return

/** `__builtin_popcount`/`clz`/`ctz`/`bswap` (cc/builtins.ts declares them). */
export type BitOp = "popcnt" | "clz" | "ctz" | "bswap16" | "bswap";

type Shape = "ptr" | "size" | "int" | "double" | "float" | "u16" | "u64";

interface Entry {
  intrinsic: Intrinsic;
  ret: Shape;
  params: Shape[];
}

const copy: Intrinsic = { kind: "copy" };
const unaryD = (op: OpName): Entry => ({
  intrinsic: { kind: "unary", op },
  ret: "double",
  params: ["double"],
});
const unaryF = (op: OpName): Entry => ({
  intrinsic: { kind: "unary", op },
  ret: "float",
  params: ["float"],
});

const bits = (op: BitOp, wide: boolean, ret: Shape, param: Shape): Entry => ({
  intrinsic: { kind: "bits", op, wide },
  ret,
  params: [param],
});

const table = new Map<string, Entry>([
  ["__builtin_popcount", bits("popcnt", false, "int", "int")],
  ["__builtin_popcountl", bits("popcnt", false, "int", "int")],
  ["__builtin_popcountll", bits("popcnt", true, "int", "u64")],
  ["__builtin_clz", bits("clz", false, "int", "int")],
  ["__builtin_clzl", bits("clz", false, "int", "int")],
  ["__builtin_clzll", bits("clz", true, "int", "u64")],
  ["__builtin_ctz", bits("ctz", false, "int", "int")],
  ["__builtin_ctzl", bits("ctz", false, "int", "int")],
  ["__builtin_ctzll", bits("ctz", true, "int", "u64")],
  ["__builtin_bswap16", bits("bswap16", false, "u16", "u16")],
  ["__builtin_bswap32", bits("bswap", false, "int", "int")],
  ["__builtin_bswap64", bits("bswap", true, "u64", "u64")],
  ["setjmp", { intrinsic: { kind: "setjmp" }, ret: "int", params: ["ptr"] }],
  ["alloca", { intrinsic: { kind: "alloca" }, ret: "ptr", params: ["size"] }],
  ["__builtin_alloca", { intrinsic: { kind: "alloca" }, ret: "ptr", params: ["size"] }],
  ["memcpy", { intrinsic: copy, ret: "ptr", params: ["ptr", "ptr", "size"] }],
  ["memmove", { intrinsic: copy, ret: "ptr", params: ["ptr", "ptr", "size"] }],
  ["memset", { intrinsic: { kind: "fill" }, ret: "ptr", params: ["ptr", "int", "size"] }],
  ["sqrt", unaryD("f64_sqrt")],
  ["sqrtf", unaryF("f32_sqrt")],
  ["fabs", unaryD("f64_abs")],
  ["fabsf", unaryF("f32_abs")],
  ["floor", unaryD("f64_floor")],
  ["floorf", unaryF("f32_floor")],
  ["ceil", unaryD("f64_ceil")],
  ["ceilf", unaryF("f32_ceil")],
  ["trunc", unaryD("f64_trunc")],
  ["truncf", unaryF("f32_trunc")],
]);

function fits(shape: Shape, t: Type): boolean {
  switch (shape) {
    case "ptr":
      return t.kind === "pointer";
    case "size":
    case "int":
      return (t.kind === "int" && t.size === 4) || t.kind === "enum";
    case "double":
      return t.kind === "float" && t.size === 8;
    case "float":
      return t.kind === "float" && t.size === 4;
    case "u16":
      return t.kind === "int" && t.size === 2;
    case "u64":
      return t.kind === "int" && t.size === 8;
  }
}

function matches(entry: Entry, t: FunctionType): boolean {
  return (
    !t.variadic &&
    t.params.length === entry.params.length &&
    fits(entry.ret, t.ret) &&
    entry.params.every((s, i) => fits(s, t.params[i]!.type))
  );
}

/** The intrinsic for an undefined extern function with a standard name and signature. */
export function intrinsicFor(v: Var): Intrinsic | undefined {
  if (v.kind !== "function" || v.defined || v.type.kind !== "function") return undefined;
  const simd = simdIntrinsic(v.name);
  if (simd) return matchesSimd(simd, v.type) ? { kind: "simd", entry: simd } : undefined;
  const entry = table.get(v.name);
  return entry && matches(entry, v.type) ? entry.intrinsic : undefined;
}

/** Whether `v` is <setjmp.h>'s setjmp (an undefined `int setjmp(int *)`). */
export function isSetjmp(v: Var): boolean {
  return v.name === "setjmp" && intrinsicFor(v)?.kind === "setjmp";
}

/** The prototype has the intrinsic's wasm shape (the header's C types, up to their width). */
function matchesSimd(entry: SimdEntry, t: FunctionType): boolean {
  if (t.variadic || t.params.length !== entry.params.length) return false;
  if (entry.ret ? t.ret.kind === "void" || valType(t.ret) !== entry.ret.vt : t.ret.kind !== "void")
    return false;
  return entry.params.every((p, i) => {
    const pt = t.params[i]!.type;
    if (p.k === "ptr") return isPointer(pt);
    if (p.k === "lane") return pt.kind === "int" || pt.kind === "enum";
    return !isPointer(pt) && valType(pt) === p.vt && (p.vt !== "v128" || pt.kind === "vector");
  });
}
