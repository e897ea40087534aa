// What the kernel derives once from a compiled module and shares with all its runtimes: the
// `WebAssembly.Module` (V8's compiled code) and, only when a fault report needs it, the module's
// export names by function index.

import { type CompiledModule, ENTRY_SUFFIX } from "../cc/index.ts";
import { decodeModule, probeBounds } from "../wasm/index.ts";
import { KernelError } from "./errors.ts";
import type { RewrittenModule } from "./foreign.ts";

/** Rewritten foreign modules kept (the oldest is dropped first). */
const MAX_REWRITTEN = 32;

/**
 * The compiled-code cache of one kernel, keyed by `CompiledModule` (weakly: a module nobody
 * holds any more is dropped). It holds no instance and no runtime state.
 */
export class ModuleCache {
  private readonly modules = new WeakMap<CompiledModule, WebAssembly.Module>();
  private readonly exportNames = new WeakMap<CompiledModule, Map<number, string>>();
  /** Bounds-probed builds, made only to replay a fault (wasm/bounds-probe.ts). */
  private readonly probedModules = new WeakMap<CompiledModule, WebAssembly.Module>();
  /** Foreign modules after verification and rewrite, by content hash and limits (foreign.ts). */
  private readonly foreign = new Map<string, RewrittenModule>();
  /** Rewrites done (cache misses), for tests and stats. */
  foreignRewrites = 0;

  /** The rewrite cached under `key`, or `make()`'s (cached if it returns). */
  rewritten(key: string, make: () => RewrittenModule): RewrittenModule {
    let r = this.foreign.get(key);
    if (r) {
      this.foreign.delete(key); // most recently used goes last
    } else {
      r = make();
      this.foreignRewrites++;
      if (this.foreign.size >= MAX_REWRITTEN) {
        this.foreign.delete(this.foreign.keys().next().value!);
      }
    }
    this.foreign.set(key, r);
    return r;
  }

  /** Records code compiled elsewhere (a cached foreign rewrite) as `module`'s. */
  adopt(module: CompiledModule, compiled: WebAssembly.Module): void {
    this.modules.set(module, compiled);
  }

  /** The module's compiled code; throws KernelError for metered code without entry points. */
  compiled(module: CompiledModule): WebAssembly.Module {
    let m = this.modules.get(module);
    if (!m) {
      m = new WebAssembly.Module(module.wasm);
      if (module.metered && module.uses.fuel) {
        // Upcalls into fuel-spending code go through `F$entry` (cc/module.ts): setting the fuel
        // global from JS instead would cost more than the whole upcall.
        const names = new Set(WebAssembly.Module.exports(m).map((e) => e.name));
        const missing = module.exports.find((e) => !names.has(e.name + ENTRY_SUFFIX));
        if (missing) {
          throw new KernelError(
            `module '${module.file}' spends fuel but has no '${missing.name}${ENTRY_SUFFIX}' entry point`,
          );
        }
      }
      this.modules.set(module, m);
    }
    return m;
  }

  /**
   * The module's bounds-probed build (kernel/fault-replay.ts): the same code with every load
   * and store checked first, recording the address of the one that fails. Built on first use.
   */
  probed(module: CompiledModule): WebAssembly.Module {
    let m = this.probedModules.get(module);
    if (!m) {
      this.compiled(module); // the same checks as the original build
      m = new WebAssembly.Module(probeBounds(module.wasm));
      this.probedModules.set(module, m);
    }
    return m;
  }

  /** The export name of function `index` (entry wrappers excluded), decoded on first use. */
  exportName(module: CompiledModule, index: number): string | undefined {
    let names = this.exportNames.get(module);
    if (!names) {
      names = new Map();
      try {
        for (const x of decodeModule(module.wasm).exports) {
          if (x.kind === "func" && !x.name.endsWith(ENTRY_SUFFIX)) names.set(x.index, x.name);
        }
      } catch {
        // An undecodable module only loses the function name in fault reports.
      }
      this.exportNames.set(module, names);
    }
    return names.get(index);
  }
}
