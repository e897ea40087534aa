// Calls: direct and through the table, arguments converted to the wasm ABI, variadic
// arguments laid out in a stack buffer, and the fuel handed to and taken back from the callee.

import type { Call, Expr } from "./ast.ts";
import { startOf } from "./line-table.ts";
import { directCallee } from "./lower-analysis.ts";
import { wasmSignature } from "./lower-context.ts";
import type { ExprLowerer } from "./lower-expr.ts";
import { variadicSlotAlign, variadicSlotSize } from "./stdarg.ts";
import { alignOf, alignTo, isRecord, sizeOf } from "./types.ts";

/** Emits a call; returns whether a value was pushed. */
export function call(lo: ExprLowerer, e: Call, want: boolean): boolean {
  const w = lo.w;
  const ft = e.fnType;
  const direct = directCallee(e.callee);
  if (direct) {
    const intrinsic = lo.mod.intrinsic(direct);
    if (intrinsic) return lo.intrinsicCall(intrinsic, e, want);
    const def = lo.mod.inlineDef(direct);
    if (def) return lo.inlineCall(def, e, want);
  }
  let resultSlot = -1;
  if (isRecord(ft.ret)) {
    resultSlot = lo.frame.alloc(sizeOf(ft.ret), Math.max(alignOf(ft.ret), 4));
    w.localGet(lo.frame.fp);
    lo.addOffset(resultSlot);
  }
  const fixed = ft.params.length;
  for (let i = 0; i < fixed && i < e.args.length; i++) argument(lo, e.args[i]!);
  if (ft.variadic) variadicArguments(lo, e.args.slice(fixed));
  if (direct) {
    const index = lo.mod.funcIndex(direct);
    if (index === undefined) lo.error(e.loc, `internal: '${direct.name}' has no function index`);
    if (!direct.def && !lo.mod.firstCall.has(direct)) lo.mod.firstCall.set(direct, startOf(e));
    lo.markExpr(e);
    lo.chargeCall();
    w.call(index ?? 0);
  } else {
    lo.expr(e.callee);
    lo.markExpr(e);
    lo.chargeCall();
    w.callIndirect(lo.mod.typeIndex(wasmSignature(ft)));
  }
  lo.reloadFuel();
  if (resultSlot >= 0) {
    if (!want) return false;
    w.localGet(lo.frame.fp);
    lo.addOffset(resultSlot);
    return true;
  }
  return ft.ret.kind !== "void";
}

/** Pushes one fixed argument; records are passed as a pointer to a fresh copy. */
function argument(lo: ExprLowerer, a: Expr): void {
  if (!isRecord(a.type)) {
    lo.expr(a);
    return;
  }
  const size = sizeOf(a.type);
  const align = Math.max(alignOf(a.type), 4);
  const slot = lo.frame.alloc(size, align);
  const src = lo.addressInLocal(a);
  lo.copyBytes({ local: lo.frame.fp, offset: slot }, src, size, align);
  if (src.temp) lo.frame.release("i32", src.local);
  lo.w.localGet(lo.frame.fp);
  lo.addOffset(slot);
}

/**
 * Writes variadic arguments to a frame buffer and pushes its address; the layout is the one
 * va_arg reads (cc/stdarg.ts) and the host's printf family too (kernel/printf.ts).
 */
function variadicArguments(lo: ExprLowerer, args: Expr[]): void {
  const w = lo.w;
  if (args.length === 0) {
    w.i32Const(0);
    return;
  }
  const offsets: number[] = [];
  let size = 0;
  for (const a of args) {
    size = alignTo(size, variadicSlotAlign(a.type));
    offsets.push(size);
    size += variadicSlotSize(a.type);
  }
  const buffer = lo.frame.alloc(size, 8);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (isRecord(a.type)) {
      // Passed by value: its bytes, copied into the slot.
      const src = lo.addressInLocal(a);
      const align = Math.min(variadicSlotAlign(a.type), Math.max(alignOf(a.type), 1));
      lo.copyBytes(
        { local: lo.frame.fp, offset: buffer + offsets[i]! },
        src,
        sizeOf(a.type),
        align,
      );
      if (src.temp) lo.frame.release("i32", src.local);
      continue;
    }
    w.localGet(lo.frame.fp);
    lo.expr(a);
    lo.store(a.type, buffer + offsets[i]!);
  }
  w.localGet(lo.frame.fp);
  lo.addOffset(buffer);
}
