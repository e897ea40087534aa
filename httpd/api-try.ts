// Compile on demand and try before saving. `compileCheck` compiles a plugin as an upload would
// (same header, same ABI check) and returns diagnostics without linking anything. A try runs
// the unsaved plugin on one image in the client's *playground runtime*: a second runtime per
// client with the client's own fuel and memory limits and the plugin library linked in, so an
// experiment can loop, crash or be half-written without touching the plugins the client's
// users are calling. The try plugin is unlinked again after every run.

import type { CompiledModule, Diagnostic } from "../cc/index.ts";
import { compile } from "../cc/index.ts";
import type { Kernel, Runtime } from "../kernel/index.ts";
import type { Client } from "./clients.ts";
import { IMAGE_INCLUDES, type PluginLibrary } from "./library.ts";
import { TRANSFORM_SUFFIX } from "./plugin-abi.ts";
import { createPluginRuntime } from "./runtimes.ts";

export interface CompileCheck {
  ok: boolean;
  diagnostics: Diagnostic[];
  compileMs: number;
  /** Size of the generated wasm module (when it compiled). */
  wasmBytes?: number;
  exports?: string[];
  imports?: string[];
  module?: CompiledModule;
}

/** Compiles `source` as the image plugin `name` would be compiled on upload. */
export function compileCheck(name: string, source: string): CompileCheck {
  const file = `${name}.c`;
  const t0 = performance.now();
  const result = compile(source, { file, includes: IMAGE_INCLUDES });
  const compileMs = performance.now() - t0;
  if (!result.ok) return { ok: false, diagnostics: result.diagnostics, compileMs };
  const exports = result.module.exports.map((e) => e.name);
  const entry = `${name}${TRANSFORM_SUFFIX}`;
  if (!exports.includes(entry)) {
    return {
      ok: false,
      compileMs,
      diagnostics: [
        ...result.diagnostics,
        {
          severity: "error",
          file,
          ...locationOf(source, /\b[A-Za-z_]\w*_transform\s*\(/),
          message: `plugin '${name}' must define int ${entry}(const image *in, image *out, const params *p)`,
        },
      ],
    };
  }
  return {
    ok: true,
    diagnostics: result.diagnostics,
    compileMs,
    wasmBytes: result.module.wasm.byteLength,
    exports,
    imports: result.module.imports.map((i) => i.name),
    module: result.module,
  };
}

/** 1-based line and column of the first match of `pattern`, or 1:1. */
export function locationOf(source: string, pattern: RegExp): { line: number; col: number } {
  const m = pattern.exec(source);
  if (!m) return { line: 1, col: 1 };
  const before = source.slice(0, m.index);
  const line = before.split("\n").length;
  return { line, col: m.index - before.lastIndexOf("\n") };
}

/** A link error as a diagnostic, placed at the first use of the symbol it names (if any). */
export function linkDiagnostic(name: string, source: string, message: string): Diagnostic {
  const symbol = /'([A-Za-z_]\w*)'/.exec(message)?.[1];
  const at = symbol ? locationOf(source, new RegExp(`\\b${symbol}\\b`)) : { line: 1, col: 1 };
  return { severity: "error", file: `${name}.c`, ...at, message };
}

/** The playground runtimes, one per client, created on a client's first try. */
export class PlaygroundRuntimes {
  private readonly runtimes = new Map<string, { client: Client; runtime: Runtime }>();

  constructor(
    private readonly kernel: Kernel,
    private readonly library: () => PluginLibrary,
  ) {}

  /** Destroys the playground runtimes of clients that no longer exist. */
  prune(isCurrent: (client: Client) => boolean): void {
    for (const [id, { client, runtime }] of this.runtimes) {
      if (isCurrent(client)) continue;
      this.runtimes.delete(id);
      if (!runtime.isDestroyed) this.kernel.destroyRuntime(runtime.name);
    }
  }

  runtimeFor(client: Client): Runtime {
    const known = this.runtimes.get(client.id);
    if (known && known.client === client && !known.runtime.isDestroyed) return known.runtime;
    // The client was deleted and re-created since: its old playground goes with it.
    const name = `playground:${client.id}`;
    if (this.kernel.runtime(name)) this.kernel.destroyRuntime(name);
    const runtime = createPluginRuntime(this.kernel, name, {
      ...client.settings,
      // Every try starts from a fresh link; faults are reported per try, never quarantined.
      quarantine: false,
    });
    this.library().linkInto(runtime);
    this.runtimes.set(client.id, { client, runtime });
    return runtime;
  }

  /** Links an experiment as plugin `name` (replacing a leftover one). Throws on link errors. */
  link(runtime: Runtime, name: string, module: CompiledModule): void {
    if (runtime.plugin(name)) runtime.remove(name, { cascade: true });
    runtime.add(name, module);
  }

  unlink(runtime: Runtime, name: string): void {
    if (!runtime.isDestroyed && runtime.plugin(name)) runtime.remove(name, { cascade: true });
  }
}
