// gcc's bit builtins as wasm instructions: popcount/clz/ctz map to one instruction each;
// byte swaps are masks and rotates (wasm has no bswap).

import type { CodeWriter, OpName } from "../wasm/index.ts";
import type { BitOp } from "./intrinsics.ts";
import type { FunctionFrame } from "./lower-frame.ts";

/** The operand is on the stack; leaves gcc's result (int for counts, the operand's type for bswap). */
export function bitBuiltin(w: CodeWriter, frame: FunctionFrame, op: BitOp, wide: boolean): void {
  if (op === "popcnt" || op === "clz" || op === "ctz") {
    w.op(`${wide ? "i64" : "i32"}_${op}` as OpName);
    if (wide) w.op("i32_wrap_i64");
    return;
  }
  const t = frame.temp(wide ? "i64" : "i32");
  w.localSet(t);
  if (op === "bswap16") {
    w.localGet(t).i32Const(0xff).op("i32_and").i32Const(8).op("i32_shl");
    w.localGet(t).i32Const(8).op("i32_shr_u").i32Const(0xff).op("i32_and").op("i32_or");
  } else if (!wide) {
    // Swap the bytes of each 16-bit half, then the halves.
    w.localGet(t).i32Const(0x00ff00ff).op("i32_and").i32Const(8).op("i32_rotl");
    w.localGet(t)
      .i32Const(0xff00ff00 | 0)
      .op("i32_and")
      .i32Const(8)
      .op("i32_rotr");
    w.op("i32_or").i32Const(16).op("i32_rotl");
  } else {
    // Swap adjacent bytes, then adjacent 16-bit pieces, then the 32-bit halves.
    w.localGet(t).i64Const(0x00ff00ff00ff00ffn).op("i64_and").i64Const(8n).op("i64_rotl");
    w.localGet(t).i64Const(-0x00ff00ff00ff0100n).op("i64_and").i64Const(8n).op("i64_rotr");
    w.op("i64_or").localSet(t);
    w.localGet(t).i64Const(0x0000ffff0000ffffn).op("i64_and").i64Const(16n).op("i64_rotl");
    w.localGet(t).i64Const(-0x0000ffff00010000n).op("i64_and").i64Const(16n).op("i64_rotr");
    w.op("i64_or").i64Const(32n).op("i64_rotl");
  }
  frame.release(wide ? "i64" : "i32", t);
}
