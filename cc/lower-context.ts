// What function lowering needs from the module being built: symbol indices, static data
// offsets, inlining and intrinsic decisions, and the imported globals (whose indices are only
// known once every function is lowered, so their uses are recorded and patched at the end).

import type { CodeWriter, FuncType, ValType } from "../wasm/index.ts";
import type { FunctionDef, Var } from "./ast.ts";
import type { DiagnosticSink, Loc } from "./diagnostics.ts";
import type { Intrinsic } from "./intrinsics.ts";
import type { CompileLimits } from "./limits.ts";
import type { LineTableBuilder } from "./line-table.ts";
import { type FunctionType, isRecord, isVoid, valType } from "./types.ts";

/** The imported globals, in their import order. */
export const GlobalKind = {
  stackPointer: 0,
  memoryBase: 1,
  tableBase: 2,
  fuel: 3,
  /** The runtime's count of setjmp frame invocations (cc/lower-cfg.ts), an i64. */
  jmpCounter: 4,
  /** The part of a fuel budget above the i32 counter (wasm/fuel-refill.ts), an f64. */
  fuelReserve: 5,
} as const;
export type GlobalKind = (typeof GlobalKind)[keyof typeof GlobalKind];

/** A `global.get`/`global.set` whose one-byte index is written once imports are known. */
export interface GlobalPatch {
  w: CodeWriter;
  pos: number;
  kind: GlobalKind;
}

export interface ModuleContext {
  diags: DiagnosticSink;
  fuel: boolean;
  /** Loads and stores check their base pointer against the NULL page (null-checks.ts). */
  nullChecks: boolean;
  /** Counted loops over arrays run 4-16 iterations per trip in SIMD lanes (vectorize.ts). */
  vectorize: boolean;
  limits: CompileLimits;
  patches: GlobalPatch[];
  /** Where each imported function is first called (link errors point there or at its extern). */
  firstCall: Map<Var, Loc>;
  /** The module's line table, which each function's lowering adds to. */
  lines: LineTableBuilder;
  /** Wasm function index of a function that is emitted or imported. */
  funcIndex(v: Var): number | undefined;
  /** Slot (relative to __table_base) of a function whose address is taken. */
  tableSlot(v: Var): number | undefined;
  /** Offset (relative to __memory_base) of a global variable or string literal. */
  globalOffset(v: Var): number | undefined;
  /** Offset of a read-only copy of a large byte initializer, for memory.copy. */
  blobOffset(bytes: Uint8Array): number | undefined;
  /** The definition to inline at direct call sites, if the callee is inlined. */
  inlineDef(v: Var): FunctionDef | undefined;
  intrinsic(v: Var): Intrinsic | undefined;
  typeIndex(t: FuncType): number;
}

/** Emits `global.get`/`global.set` of an imported global and records it for patching. */
export function emitGlobal(
  mod: ModuleContext,
  w: CodeWriter,
  set: boolean,
  kind: GlobalKind,
): void {
  w.byte(set ? 0x24 : 0x23);
  mod.patches.push({ w, pos: w.length, kind });
  w.byte(kind);
}

/** The wasm signature of a C function type under the ABI in module.ts. */
export function wasmSignature(t: FunctionType): FuncType {
  const params: ValType[] = [];
  if (isRecord(t.ret)) params.push("i32");
  for (const p of t.params) params.push(valType(p.type));
  if (t.variadic) params.push("i32");
  const results: ValType[] = isVoid(t.ret) || isRecord(t.ret) ? [] : [valType(t.ret)];
  return { params, results };
}
