// The state of one function being lowered that is not code: its wasm locals (with a pool of
// temporaries), its stack frame in linear memory, where each variable lives, and the locals
// that cache __memory_base and the fuel counter. The expression and statement lowerers share
// it as a component.

import type { ValType } from "../wasm/index.ts";
import type { Var } from "./ast.ts";
import type { Storage } from "./lower-expr.ts";
import { alignTo } from "./types.ts";

export class FunctionFrame {
  /** Types of all locals after the parameters. */
  readonly localTypes: ValType[] = [];
  /** Where each variable of the function lives. */
  readonly storage = new Map<Var, Storage>();
  /** Bytes of the stack frame so far. */
  size = 0;
  /** The largest alignment a frame slot needs; above the stack pointer's 16, the prologue
   *  aligns the frame pointer down at run time (`_Alignas(64)` locals). */
  align = 16;
  /** The function calls alloca: its stack pointer moves at run time, so the one to restore
   *  at return is kept in a local. */
  usesAlloca = false;
  private fpIndex = -1;
  private fuelIndex = -1;
  private memoryBaseIndex = -1;
  private readonly freeTemps: Record<ValType, number[]> = {
    i32: [],
    i64: [],
    f32: [],
    f64: [],
    v128: [],
  };

  constructor(readonly paramTypes: ValType[]) {}

  newLocal(t: ValType): number {
    this.localTypes.push(t);
    return this.paramTypes.length + this.localTypes.length - 1;
  }

  /** A local of type `t` from the pool of temporaries (give it back with `release`). */
  temp(t: ValType): number {
    return this.freeTemps[t].pop() ?? this.newLocal(t);
  }

  release(t: ValType, index: number): void {
    this.freeTemps[t].push(index);
  }

  get hasFrame(): boolean {
    return this.fpIndex >= 0;
  }

  /** The frame pointer local (the frame is created on first use). */
  get fp(): number {
    if (this.fpIndex < 0) this.fpIndex = this.newLocal("i32");
    return this.fpIndex;
  }

  /** Reserves `size` bytes of the stack frame; returns their offset from the frame pointer. */
  alloc(size: number, align: number): number {
    void this.fp;
    this.size = alignTo(this.size, Math.max(1, align));
    this.align = Math.max(this.align, align);
    const at = this.size;
    this.size += Math.max(size, 0);
    return at;
  }

  get usesMemoryBase(): boolean {
    return this.memoryBaseIndex >= 0;
  }

  /** The local caching __memory_base (the prologue loads it). */
  get memoryBaseLocal(): number {
    if (this.memoryBaseIndex < 0) this.memoryBaseIndex = this.newLocal("i32");
    return this.memoryBaseIndex;
  }

  get usesFuel(): boolean {
    return this.fuelIndex >= 0;
  }

  /** The local holding the fuel counter while the function runs. */
  get fuelLocal(): number {
    if (this.fuelIndex < 0) this.fuelIndex = this.newLocal("i32");
    return this.fuelIndex;
  }
}
