// Lowering of <wasm_simd128.h> intrinsic calls (the table is cc/simd-intrinsics.ts). Operands
// are evaluated in order; lane indices and `_const` arguments must be integer constants, which
// the parser has folded by now.

import type { Call, Expr } from "./ast.ts";
import type { ExprLowerer } from "./lower-expr.ts";
import type { LaneType, SimdEntry } from "./simd-intrinsics.ts";

/** Emits the call; returns whether a value was pushed. */
export function simdCall(lo: ExprLowerer, entry: SimdEntry, e: Call, want: boolean): boolean {
  const w = lo.w;
  const low = entry.lowering;
  switch (low.k) {
    case "op":
      for (const a of e.args) lo.expr(a);
      w.opFD(low.op);
      break;
    case "load":
      lo.expr(e.args[0]!);
      lo.markExpr(e);
      w.memFD(low.op, low.align, 0);
      break;
    case "lane": {
      const lane = laneIndex(lo, e, 1, entry);
      lo.expr(e.args[0]!);
      if (e.args[2]) lo.expr(e.args[2]);
      w.laneFD(low.op, lane);
      break;
    }
    case "shuffle": {
      const bytes: number[] = [];
      for (let i = 2; i < e.args.length; i++) {
        const lane = laneIndex(lo, e, i, entry);
        for (let b = 0; b < low.width; b++) bytes.push(lane * low.width + b);
      }
      lo.expr(e.args[0]!);
      lo.expr(e.args[1]!);
      w.bytesFD("i8x16_shuffle", bytes);
      break;
    }
    case "make":
      make(lo, low.lane, e.args, entry.name.endsWith("_const") ? entry : undefined, e);
      break;
    case "constSplat": {
      const args = Array.from({ length: low.lane.count }, () => e.args[0]!);
      make(lo, low.lane, args, entry, e);
      break;
    }
  }
  const pushed = entry.ret !== undefined;
  if (pushed && !want) w.op("drop");
  return pushed && want;
}

/** The constant lane index in argument `i`, or 0 after reporting an error. */
function laneIndex(lo: ExprLowerer, e: Call, i: number, entry: SimdEntry): number {
  const a = e.args[i]!;
  const p = entry.params[i]!;
  const count = p.k === "lane" ? p.count : 0;
  if (a.k !== "int") {
    lo.error(a.loc, `lane index of '${entry.name}' must be an integer constant`);
    return 0;
  }
  if (a.value < 0n || a.value >= BigInt(count)) {
    lo.error(a.loc, `lane index ${a.value} of '${entry.name}' is out of range 0..${count - 1}`);
    return 0;
  }
  return Number(a.value);
}

/**
 * A vector from lane values: v128.const when every one is a constant, else a splat of the
 * first and a replace_lane for each lane that differs from it. `constOnly`: the `_const` forms,
 * whose arguments must be constants.
 */
function make(
  lo: ExprLowerer,
  lane: LaneType,
  args: Expr[],
  constOnly: SimdEntry | undefined,
  e: Call,
): void {
  const w = lo.w;
  if (args.every((a) => a.k === "int" || a.k === "float")) {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    args.forEach((a, i) => {
      const at = i * lane.bytes;
      const value = a.k === "int" ? a.value : BigInt(0);
      if (lane.vt === "f32")
        view.setFloat32(at, Number((a as { value: number | bigint }).value), true);
      else if (lane.vt === "f64")
        view.setFloat64(at, Number((a as { value: number | bigint }).value), true);
      else if (lane.bytes === 8) view.setBigUint64(at, BigInt.asUintN(64, value), true);
      else if (lane.bytes === 4) view.setUint32(at, Number(BigInt.asUintN(32, value)), true);
      else if (lane.bytes === 2) view.setUint16(at, Number(BigInt.asUintN(16, value)), true);
      else view.setUint8(at, Number(BigInt.asUintN(8, value)));
    });
    w.bytesFD("v128_const", bytes);
    return;
  }
  if (constOnly) {
    lo.error(e.loc, `the arguments of '${constOnly.name}' must be constants`);
    w.bytesFD("v128_const", new Uint8Array(16));
    return;
  }
  lo.expr(args[0]!);
  w.opFD(`${lane.shape}_splat`);
  for (let i = 1; i < args.length; i++) {
    lo.expr(args[i]!);
    w.laneFD(`${lane.shape}_replace_lane`, i);
  }
}
