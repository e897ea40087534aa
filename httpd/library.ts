// The plugin library: every plugins/*.c compiled once at start-up with kplug's compiler (the
// image ABI header supplied as a built-in include), ordered so that a module is linked after
// the modules it imports from, and linked into any runtime that wants it. A module that
// exports `N_transform` provides the image plugin N (grayscale_image.c wraps the paper's
// grayscale.c this way, calling it directly).

import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { CompiledModule } from "../cc/index.ts";
import { compile, type Diagnostic, formatDiagnostics } from "../cc/index.ts";
import type { Runtime } from "../kernel/index.ts";
import { IMAGE_HEADER, IMAGE_HEADER_NAME } from "./image-header.ts";
import { TRANSFORM_SUFFIX } from "./plugin-abi.ts";
import { type ParamDecl, parseParams } from "./plugin-params.ts";

export interface LibraryModule {
  /** Module name in a runtime: the file's base name. */
  name: string;
  file: string;
  source: string;
  module: CompiledModule;
  /** Content hash: part of every cache key of results this module computed. */
  version: string;
  compileMs: number;
  /** The parameters its source declares (`@param` comments, plugin-params.ts). */
  params: ParamDecl[];
}

export interface LibraryProblem {
  file: string;
  message: string;
  diagnostics?: Diagnostic[];
}

/**
 * kplug/image.h as the server compiles it: KPLUG_IMAGE_SERVER makes image_alloc take buffers
 * from the server's image_buffer host function; the built-in header alone mallocs them.
 */
export const IMAGE_INCLUDES: Record<string, string> = {
  [IMAGE_HEADER_NAME]: `#define KPLUG_IMAGE_SERVER 1\n${IMAGE_HEADER}`,
};

/** Image plugin names a compiled module provides. */
export function transformsOf(module: CompiledModule): string[] {
  return module.exports
    .filter((e) => e.name.endsWith(TRANSFORM_SUFFIX))
    .map((e) => e.name.slice(0, -TRANSFORM_SUFFIX.length));
}

export function versionOf(source: string): string {
  return createHash("sha256").update(IMAGE_HEADER).update(source).digest("hex").slice(0, 16);
}

export class PluginLibrary {
  /** Link order: every module after the modules it imports from. */
  readonly modules: LibraryModule[] = [];
  readonly problems: LibraryProblem[] = [];
  /** Image plugin name -> the module providing it. */
  readonly transforms = new Map<string, LibraryModule>();

  static async load(dir: string): Promise<PluginLibrary> {
    const lib = new PluginLibrary();
    const files = (await readdir(dir)).filter((f) => f.endsWith(".c")).sort();
    const compiled: LibraryModule[] = [];
    for (const file of files) {
      const source = await readFile(join(dir, file), "utf8");
      const t0 = performance.now();
      const result = compile(source, { file, includes: IMAGE_INCLUDES });
      const compileMs = performance.now() - t0;
      if (!result.ok) {
        lib.problems.push({
          file,
          message: formatDiagnostics(result.diagnostics, { [file]: source }),
          diagnostics: result.diagnostics,
        });
        continue;
      }
      const name = basename(file, ".c");
      const declared = parseParams(source);
      for (const p of declared.problems)
        lib.problems.push({ file, message: `${file}:${p.line}: ${p.message}` });
      compiled.push({
        name,
        file,
        source,
        module: result.module,
        version: versionOf(source),
        compileMs,
        params: declared.params,
      });
    }
    lib.order(compiled);
    for (const m of lib.modules) {
      for (const t of transformsOf(m.module)) lib.transforms.set(t, m);
    }
    return lib;
  }

  private order(compiled: LibraryModule[]): void {
    const provider = new Map<string, LibraryModule>();
    for (const m of compiled) for (const e of m.module.exports) provider.set(e.name, m);
    const state = new Map<LibraryModule, "visiting" | "done">();
    const visit = (m: LibraryModule): boolean => {
      const s = state.get(m);
      if (s === "done") return true;
      if (s === "visiting") {
        this.problems.push({ file: m.file, message: "circular imports between library modules" });
        return false;
      }
      state.set(m, "visiting");
      for (const imp of m.module.imports) {
        const dep = provider.get(imp.name);
        if (dep && dep !== m && !visit(dep)) return false;
      }
      state.set(m, "done");
      this.modules.push(m);
      return true;
    };
    for (const m of compiled) visit(m);
  }

  /**
   * A library from modules compiled elsewhere and already in link order (a plugin worker
   * rebuilds the main thread's library from their wasm this way).
   */
  static fromCompiled(
    modules: Omit<LibraryModule, "source" | "compileMs" | "params">[],
  ): PluginLibrary {
    const lib = new PluginLibrary();
    for (const m of modules) {
      const entry: LibraryModule = { ...m, source: "", compileMs: 0, params: [] };
      lib.modules.push(entry);
      for (const t of transformsOf(m.module)) lib.transforms.set(t, entry);
    }
    return lib;
  }

  /** Module names a runtime must not reuse for its own plugins. */
  get moduleNames(): Set<string> {
    return new Set(this.modules.map((m) => m.name));
  }

  /** Links the library into a runtime; a module that fails to link is reported and skipped. */
  linkInto(runtime: Runtime, report: (p: LibraryProblem) => void = () => {}): void {
    for (const m of this.modules) {
      try {
        runtime.add(m.name, m.module);
      } catch (e) {
        report({ file: m.file, message: (e as Error).message });
      }
    }
  }
}
