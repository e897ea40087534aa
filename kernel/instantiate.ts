// Instantiating a compiled module in a runtime: the `env` imports of the linking convention
// (cc/module.ts: memory, stack pointer, fuel, data and table bases, function table, longjmp's
// tag and setjmp's invocation counter) and the
// LinkedModule that describes the new instance to the rest of the kernel.

import {
  type CompiledModule,
  ENTRY_SUFFIX,
  type FunctionSymbol,
  JMP_COUNTER,
  LONGJMP_TAG,
} from "../cc/index.ts";
import { isForeign } from "./foreign.ts";
import { adaptForeign, startForeign } from "./foreign-instance.ts";
import type { Resolution } from "./linker.ts";
import type { RuntimeResources } from "./memory.ts";
import type { LinkedModule, Plugin } from "./plugin.ts";
import type { FunctionTable } from "./table.ts";
import type { AnyFunction } from "./upcall.ts";

/**
 * Makes instances in one runtime's memory and function table. It resolves nothing and places
 * nothing: the runtime picks the imports and the data and table bases.
 */
export class Instantiator {
  constructor(
    private readonly resources: RuntimeResources,
    private readonly table: FunctionTable,
    /** Fuel for a foreign module's start function and constructors. */
    private readonly startBudget: number,
  ) {}

  /** A new instance of `module` at the given bases; `imports` follow `module.imports`. */
  instantiate(
    wasm: WebAssembly.Module,
    module: CompiledModule,
    imports: AnyFunction[],
    resolutions: Resolution<Plugin>[],
    dataBase: number,
    tableBase: number,
  ): LinkedModule {
    const env: Record<string, unknown> = {
      memory: this.resources.memory,
      __stack_pointer: this.resources.stackPointer,
      __memory_base: dataBase,
      __table_base: tableBase,
      fuel: this.resources.fuel,
      fuel_reserve: this.resources.fuelReserve,
    };
    if (module.uses.setjmp) {
      env[LONGJMP_TAG] = this.resources.longjmpTag;
      env[JMP_COUNTER] = this.resources.jmpCounter;
    }
    if (module.uses.table) {
      env.__indirect_function_table = this.table.wasm;
      this.table.importers++;
    }
    for (let i = 0; i < imports.length; i++) env[module.imports[i]!.name] = imports[i];
    if (isForeign(module)) {
      const instance = startForeign(wasm, module, env, this.resources, this.startBudget);
      const linked = describe(module, instance, resolutions, dataBase, tableBase, imports);
      adaptForeign(linked, this.resources);
      return linked;
    }
    const instance = new WebAssembly.Instance(wasm, { env: env as WebAssembly.ModuleImports });
    return describe(module, instance, resolutions, dataBase, tableBase, imports);
  }
}

function describe(
  module: CompiledModule,
  instance: WebAssembly.Instance,
  resolutions: Resolution<Plugin>[],
  dataBase: number,
  tableBase: number,
  imports: AnyFunction[],
): LinkedModule {
  const functions = new Map<string, AnyFunction>();
  const entries = new Map<string, AnyFunction>();
  const exports = new Map<string, FunctionSymbol>();
  const ex = instance.exports as Record<string, AnyFunction>;
  for (const e of module.exports) {
    const fn = ex[e.name];
    if (typeof fn !== "function") continue;
    functions.set(e.name, fn);
    exports.set(e.name, e);
    const entry = ex[e.name + ENTRY_SUFFIX];
    // Without an entry the code never touches fuel (checked by ModuleCache.compiled): handles
    // call `fn`.
    if (typeof entry === "function") entries.set(e.name, entry);
  }
  return {
    module,
    instance,
    functions,
    entries,
    exports,
    resolutions,
    dataBase,
    tableBase,
    imports,
    image: undefined,
    elements: undefined,
  };
}
