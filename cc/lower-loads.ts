// Redundant load elimination in straight-line code. V8 does not merge two loads of the same
// address, so `gx = a[x+1] - a[x-1] ...; gy = ... a[x-1] ... a[x+1]` reads memory twice per
// pixel. The function body's writer remembers, per address expression, a local holding the
// value last loaded from it; a later load of the same address reuses the local. Everything that
// could change the value or skip the first load forgets all entries: any store, memory.copy or
// fill, any call, the start or end of any block, loop, if, else, try or catch, and a write to one of the
// locals the address is computed from.

import type { OpName, ValType } from "../wasm/index.ts";
import { CodeWriter } from "../wasm/index.ts";
import type { Expr } from "./ast.ts";
import type { Storage } from "./lower-expr.ts";
import { sizeOf, type Type, valType } from "./types.ts";

interface Remembered {
  local: number;
  vt: ValType;
  deps: number[];
}

/** A CodeWriter that tracks what invalidates remembered loads. */
export class LoadCachingWriter extends CodeWriter {
  private readonly loads = new Map<string, Remembered>();
  /** Locals some remembered address reads: a write to one of them forgets everything. */
  private readonly deps = new Set<number>();

  constructor(private readonly release: (vt: ValType, local: number) => void) {
    super();
  }

  lookup(key: string): number | undefined {
    return this.loads.get(key)?.local;
  }

  remember(key: string, local: number, vt: ValType, deps: number[]): void {
    this.loads.set(key, { local, vt, deps });
    for (const d of deps) this.deps.add(d);
  }

  forget(): void {
    if (this.loads.size === 0) return;
    for (const r of this.loads.values()) this.release(r.vt, r.local);
    this.loads.clear();
    this.deps.clear();
  }

  override block(t?: Parameters<CodeWriter["block"]>[0]): this {
    this.forget();
    return super.block(t);
  }
  override try(t?: Parameters<CodeWriter["try"]>[0]): this {
    this.forget();
    return super.try(t);
  }
  override catch(tagIndex: number): this {
    this.forget();
    return super.catch(tagIndex);
  }
  override loop(t?: Parameters<CodeWriter["loop"]>[0]): this {
    this.forget();
    return super.loop(t);
  }
  override if(t?: Parameters<CodeWriter["if"]>[0]): this {
    this.forget();
    return super.if(t);
  }
  override else(): this {
    this.forget();
    return super.else();
  }
  override end(): this {
    this.forget();
    return super.end();
  }
  override call(funcIndex: number): this {
    this.forget();
    return super.call(funcIndex);
  }
  override callIndirect(typeIndex: number, tableIndex?: number): this {
    this.forget();
    return super.callIndirect(typeIndex, tableIndex);
  }
  override memoryCopy(): this {
    this.forget();
    return super.memoryCopy();
  }
  override memoryFill(): this {
    this.forget();
    return super.memoryFill();
  }
  override memoryGrow(): this {
    this.forget();
    return super.memoryGrow();
  }
  override mem(name: OpName, align: number, offset?: number): this {
    if (this.loads.size > 0 && STORES.has(name)) this.forget();
    return super.mem(name, align, offset);
  }
  override memFD(name: string, align: number, offset?: number, lane?: number): this {
    if (this.loads.size > 0 && name.includes("store")) this.forget();
    return super.memFD(name, align, offset, lane);
  }
  override localSet(i: number): this {
    if (this.deps.has(i)) this.forget();
    return super.localSet(i);
  }
  override localTee(i: number): this {
    if (this.deps.has(i)) this.forget();
    return super.localTee(i);
  }
}

const STORES = new Set<OpName>([
  "i32_store",
  "i64_store",
  "f32_store",
  "f64_store",
  "i32_store8",
  "i32_store16",
  "i64_store8",
  "i64_store16",
  "i64_store32",
]);

/** Where variables live, for keys: wasm locals by index, memory by base and offset. */
export type StorageOf = (e: Expr & { k: "var" }) => Storage | undefined;

const MAX_KEY_DEPTH = 12;

/**
 * A key naming the value of a scalar lvalue read from memory, if its address is computed only
 * from constants, locals and pure arithmetic; `deps` collects the locals it reads.
 */
export function loadKey(e: Expr, storageOf: StorageOf, deps: number[]): string | undefined {
  const where = place(e, storageOf, deps, MAX_KEY_DEPTH);
  return where === undefined ? undefined : `${typeTag(e.type)}@${where}`;
}

/** The address of an lvalue in memory. */
function place(e: Expr, storageOf: StorageOf, deps: number[], depth: number): string | undefined {
  if (depth <= 0) return undefined;
  switch (e.k) {
    case "deref": {
      const p = value(e.ptr, storageOf, deps, depth - 1);
      return p === undefined ? undefined : `*${p}`;
    }
    case "member": {
      const base = place(e.base, storageOf, deps, depth - 1);
      if (base === undefined) return undefined;
      const b = e.member.bits;
      return b ? `${base}.${e.member.offset}:${b.shift}+${b.width}` : `${base}.${e.member.offset}`;
    }
    case "var": {
      const st = storageOf(e);
      if (st?.k === "frame") return `F${st.offset}`;
      if (st?.k === "global") return `G${st.offset}`;
      if (st?.k === "ptr") {
        deps.push(st.index);
        return `P${st.index}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A pure integer or pointer value computed from constants and locals. */
function value(e: Expr, storageOf: StorageOf, deps: number[], depth: number): string | undefined {
  if (depth <= 0 || valType(e.type) !== "i32") return undefined;
  switch (e.k) {
    case "int":
      return `${e.value}`;
    case "var": {
      const st = storageOf(e);
      if (st?.k !== "local") return undefined;
      deps.push(st.index);
      return `L${st.index}`;
    }
    case "cast": {
      if (valType(e.arg.type) !== "i32") return undefined;
      const a = value(e.arg, storageOf, deps, depth - 1);
      return a === undefined ? undefined : `(${typeTag(e.type)} ${a})`;
    }
    case "binary": {
      if (!isPureBinary(e.op)) return undefined;
      const l = value(e.l, storageOf, deps, depth - 1);
      if (l === undefined) return undefined;
      const r = value(e.r, storageOf, deps, depth - 1);
      return r === undefined ? undefined : `(${e.op}${typeTag(e.type)} ${l} ${r})`;
    }
    case "addr": {
      const p = place(e.lv, storageOf, deps, depth - 1);
      return p === undefined ? undefined : `&${p}`;
    }
    default:
      return undefined;
  }
}

/** Operators that cannot trap or have effects (division can trap). */
function isPureBinary(op: string): boolean {
  switch (op) {
    case "+":
    case "-":
    case "*":
    case "<<":
    case ">>":
    case "&":
    case "|":
    case "^":
      return true;
    default:
      return false;
  }
}

const SIGNED_TAGS = ["", "s1", "s2", "", "s4", "", "", "", "s8"];
const UNSIGNED_TAGS = ["", "u1", "u2", "", "u4", "", "", "", "u8"];

function typeTag(t: Type): string {
  switch (t.kind) {
    case "int":
      if (t.name === "_Bool") return "b";
      // An N-bit type's conversions differ from its storage type's.
      return (t.signed ? SIGNED_TAGS : UNSIGNED_TAGS)[t.size]! + (t.bits ? `:${t.bits}` : "");
    case "float":
      return t.size === 4 ? "f4" : "f8";
    case "pointer":
      return "p";
    case "enum":
      return "e";
    default:
      return `${t.kind}${sizeOf(t)}`;
  }
}
