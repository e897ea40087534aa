// Hand-built plugin modules that follow the linking convention of cc/module.ts, for kernel
// tests that must not depend on the compiler (or need code the compiler would never emit).

import {
  type CompiledModule,
  ENTRY_SUFFIX,
  FUEL_LEFT_ADDR,
  type FunctionSymbol,
} from "../../cc/module.ts";
import { CodeWriter, ModuleBuilder } from "../../wasm/encoder.ts";
import type { ValType } from "../../wasm/opcodes.ts";

export const G = { stackPointer: 0, memoryBase: 1, tableBase: 2, fuel: 3 } as const;

export interface HandFunction {
  name: string;
  /** Canonical C signature, e.g. "int (int, int)". */
  signature: string;
  params: ValType[];
  results: ValType[];
  locals?: ValType[];
  /** Exported (non-static) function. */
  exported?: boolean;
  body: (c: CodeWriter, fn: (name: string) => number) => void;
}

export interface HandModule {
  file?: string;
  imports?: FunctionSymbol[];
  functions: HandFunction[];
  /** Static data: bytes placed at __memory_base (rest of dataSize zeroed). */
  data?: Uint8Array;
  dataSize?: number;
  /** Functions placed in the table at __table_base, in order. */
  table?: string[];
  metered?: boolean;
}

export function sym(
  name: string,
  signature: string,
  params: ValType[],
  results: ValType[],
): FunctionSymbol {
  return { name, signature, params, results };
}

/** Builds a module: imports memory, the four globals, the table (if used) and the functions. */
export function buildModule(spec: HandModule): CompiledModule {
  const mb = new ModuleBuilder();
  const metered = spec.metered ?? true;
  const imports = spec.imports ?? [];
  const usesTable = (spec.table?.length ?? 0) > 0;
  mb.importMemory("env", "memory", { min: 1 });
  mb.importGlobal("env", "__stack_pointer", "i32", true);
  mb.importGlobal("env", "__memory_base", "i32", false);
  mb.importGlobal("env", "__table_base", "i32", false);
  mb.importGlobal("env", "fuel", "i32", true);
  if (usesTable) mb.importTable("env", "__indirect_function_table", { min: 0 });
  const index = new Map<string, number>();
  for (const imp of imports) {
    index.set(
      imp.name,
      mb.importFunction("env", imp.name, { params: imp.params, results: imp.results }),
    );
  }
  for (const f of spec.functions) index.set(f.name, mb.declareFunction(f));
  const fn = (name: string) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`no function ${name}`);
    return i;
  };
  for (const f of spec.functions) {
    const c = new CodeWriter();
    f.body(c, fn);
    mb.defineFunction(fn(f.name), f.locals ?? [], c);
    if (f.exported === false) continue;
    mb.exportFunction(f.name, fn(f.name));
    if (!metered) continue;
    // F$entry(budget, args...): fuel = budget; r = F(args); *FUEL_LEFT_ADDR = fuel; return r
    const e = new CodeWriter();
    e.localGet(0).globalSet(G.fuel);
    for (let i = 0; i < f.params.length; i++) e.localGet(i + 1);
    e.call(fn(f.name));
    e.i32Const(FUEL_LEFT_ADDR).globalGet(G.fuel).mem("i32_store", 2, 0);
    const entry = mb.addFunction({ params: ["i32", ...f.params], results: f.results }, [], e);
    mb.exportFunction(f.name + ENTRY_SUFFIX, entry);
  }
  if (usesTable) mb.addElements({ global: G.tableBase }, spec.table!.map(fn));
  if (spec.data && spec.data.length > 0) mb.addData({ global: G.memoryBase }, spec.data);
  const exports = spec.functions
    .filter((f) => f.exported !== false)
    .map((f) => sym(f.name, f.signature, f.params, f.results));
  return {
    file: spec.file ?? "hand.c",
    imports,
    exports,
    dataSize: Math.max(spec.dataSize ?? 0, spec.data?.length ?? 0),
    dataAlign: 8,
    tableSize: spec.table?.length ?? 0,
    uses: { stackPointer: true, memoryBase: true, tableBase: true, table: usesTable, fuel: true },
    metered,
    wasm: mb.encode(),
  };
}

/** `int name(int a, int b) { return a + b + k; }` */
export function adder(name: string, k = 0): HandFunction {
  return {
    name,
    signature: "int (int, int)",
    params: ["i32", "i32"],
    results: ["i32"],
    body: (c) => {
      c.localGet(0).localGet(1).op("i32_add").i32Const(k).op("i32_add");
    },
  };
}

/** A function whose body spends fuel like compiled loops do: `while (1) { if (--fuel < 0) trap; }`. */
export function spinner(name: string): HandFunction {
  return {
    name,
    signature: "void (void)",
    params: [],
    results: [],
    locals: ["i32"],
    body: (c) => {
      c.globalGet(G.fuel).localSet(0);
      c.loop();
      c.localGet(0).i32Const(1).op("i32_sub").localTee(0);
      c.i32Const(0).op("i32_lt_s");
      c.if().localGet(0).globalSet(G.fuel).op("unreachable").end();
      c.br(0);
      c.end();
    },
  };
}
