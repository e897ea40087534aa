// What the linker sees of a runtime (linker.ts's SymbolScope): its plugins' symbols, the
// kernel's exports and the runtime's grants.

import type { FunctionSymbol } from "../cc/index.ts";
import type { ChurnMap } from "./churn-map.ts";
import type { ExportedFunction, Grants, SymbolScope } from "./linker.ts";
import type { Plugin } from "./plugin.ts";
import type { RuntimeHost } from "./runtime.ts";

export type SymbolTable = ChurnMap<string, { plugin: Plugin; symbol: FunctionSymbol }>;

/**
 * What the linker sees of a runtime. A class rather than an object of closures: linking is on
 * the hot path of add/remove, and per-link closures cost allocations (and, under tsx, a
 * `defineProperty` each for their names).
 */
export class RuntimeScope implements SymbolScope<Plugin> {
  constructor(
    readonly runtimeName: string,
    private readonly symbols: SymbolTable,
    private readonly host: RuntimeHost,
    private readonly grants: Grants,
    /** The plugin being replaced: its symbols are invisible to its new code. */
    private readonly exclude: Plugin | undefined,
  ) {}

  pluginSymbol(name: string): { plugin: Plugin; symbol: FunctionSymbol } | undefined {
    const found = this.symbols.get(name);
    return found && found.plugin !== this.exclude ? found : undefined;
  }

  kernelExport(name: string): ExportedFunction | undefined {
    return this.host.kernelExport(name);
  }

  granted(e: ExportedFunction): boolean {
    return this.grants.allows(e);
  }

  pluginName(p: Plugin): string {
    return p.name;
  }
}
