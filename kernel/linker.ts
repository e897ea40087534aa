// Link-time checks and import resolution: every import of a module resolves, with exactly the
// same canonical C signature, to a function of a plugin already in the runtime or to a kernel
// export granted to the runtime. Anything else is a LinkError naming the symbol and both
// signatures.

import type { FunctionSymbol, Loc } from "../cc/index.ts";

/**
 * A module that cannot be linked into a runtime: an import undefined, not granted or of another
 * signature, a duplicate symbol, an import cycle, or static data beyond the memory limit. The
 * runtime is left as it was. Not a compile error (`CompileError`) nor a trap (`PluginFault`).
 */
export class LinkError extends Error {
  override name = "LinkError";

  constructor(
    message: string,
    /** The symbol at fault. */
    readonly symbol: string,
    /** The signature the module being linked declares for it. */
    readonly expected?: string,
    /** The signature of the definition found (if any). */
    readonly actual?: string,
    /**
     * Where the module's source declares (or first calls) the symbol, for an import the
     * compiler recorded it for (cc/module.ts `FunctionSymbol.loc`).
     */
    readonly loc?: Loc,
  ) {
    super(message);
  }
}

/** A kernel export as the linker sees it. */
export interface ExportedFunction {
  name: string;
  symbol: FunctionSymbol;
  group: string | undefined;
}

/** Which kernel exports a runtime may link: exact names, group names and `*` wildcards. */
export class Grants {
  private readonly names = new Set<string>();
  private readonly patterns: RegExp[] = [];

  constructor(allow: readonly string[]) {
    for (const a of allow) {
      if (a.includes("*")) {
        const body = a
          .split("*")
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*");
        this.patterns.push(new RegExp(`^${body}$`));
      } else {
        this.names.add(a);
      }
    }
  }

  allows(e: ExportedFunction): boolean {
    if (this.names.has(e.name) || (e.group !== undefined && this.names.has(e.group))) return true;
    for (const p of this.patterns) if (p.test(e.name)) return true;
    return false;
  }
}

/** Where an import resolved to. */
export type Resolution<P> =
  | { kind: "plugin"; plugin: P; symbol: FunctionSymbol }
  | { kind: "kernel"; export: ExportedFunction };

export interface SymbolScope<P> {
  pluginSymbol(name: string): { plugin: P; symbol: FunctionSymbol } | undefined;
  kernelExport(name: string): ExportedFunction | undefined;
  granted(e: ExportedFunction): boolean;
  runtimeName: string;
  pluginName(p: P): string;
}

/** Resolves every import of a module or throws the first LinkError. */
export function resolveImports<P>(
  pluginName: string,
  imports: readonly FunctionSymbol[],
  scope: SymbolScope<P>,
): Resolution<P>[] {
  const out: Resolution<P>[] = [];
  for (const imp of imports) {
    const fromPlugin = scope.pluginSymbol(imp.name);
    if (fromPlugin) {
      if (fromPlugin.symbol.signature !== imp.signature) {
        throw mismatch(
          pluginName,
          imp,
          fromPlugin.symbol,
          `plugin '${scope.pluginName(fromPlugin.plugin)}'`,
        );
      }
      out.push({ kind: "plugin", plugin: fromPlugin.plugin, symbol: fromPlugin.symbol });
      continue;
    }
    const exp = scope.kernelExport(imp.name);
    if (exp && scope.granted(exp)) {
      if (exp.symbol.signature !== imp.signature)
        throw mismatch(pluginName, imp, exp.symbol, "the kernel");
      out.push({ kind: "kernel", export: exp });
      continue;
    }
    if (exp) {
      throw new LinkError(
        `plugin '${pluginName}': kernel export '${imp.name}' is not granted to runtime '${scope.runtimeName}'`,
        imp.name,
        imp.signature,
        exp.symbol.signature,
        imp.loc,
      );
    }
    throw new LinkError(
      `plugin '${pluginName}': undefined symbol '${imp.name}' (declared as '${imp.signature}')`,
      imp.name,
      imp.signature,
      undefined,
      imp.loc,
    );
  }
  return out;
}

function mismatch(
  pluginName: string,
  imp: FunctionSymbol,
  def: FunctionSymbol,
  provider: string,
): LinkError {
  return new LinkError(
    `plugin '${pluginName}': signature mismatch for '${imp.name}': declared as '${imp.signature}', ` +
      `but ${provider} defines '${def.signature}'`,
    imp.name,
    imp.signature,
    def.signature,
    imp.loc,
  );
}

/** Checks that a module's exports do not collide with symbols already in the runtime. */
export function checkDuplicates<P>(
  pluginName: string,
  exports: readonly FunctionSymbol[],
  existing: (name: string) => P | undefined,
  existingName: (p: P) => string,
): void {
  const seen = new Set<string>();
  for (const e of exports) {
    if (seen.has(e.name)) {
      throw new LinkError(`plugin '${pluginName}': symbol '${e.name}' exported twice`, e.name);
    }
    seen.add(e.name);
    const owner = existing(e.name);
    if (owner !== undefined) {
      throw new LinkError(
        `plugin '${pluginName}': duplicate symbol '${e.name}' (already defined by plugin '${existingName(owner)}')`,
        e.name,
        e.signature,
      );
    }
  }
}
