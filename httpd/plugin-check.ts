// The one check a client's plugin source passes before it runs, whether it is uploaded
// (PUT /clients/{id}/plugins/{name}) or tried from the editor (POST /clients/{id}/try/...):
// it compiles with the image ABI header, exports its entry point, and links. A failure is a
// PluginRejected whose JSON body is the same on both routes: a 400 with `error` (the kind),
// `message` and `diagnostics` placed in the source where the problem is.

import type { CompiledModule, Diagnostic } from "../cc/index.ts";
import { compile } from "../cc/index.ts";
import { CompileError, KernelError, LinkError, SignatureError } from "../kernel/index.ts";
import { decodeModule } from "../wasm/index.ts";
import { IMAGE_HEADER } from "./image-header.ts";
import { IMAGE_INCLUDES } from "./library.ts";
import { entryRequirement, entrySymbol } from "./plugin-abi.ts";

export type RejectionKind = "compile-error" | "abi-error" | "link-error";

/** The source does not compile, lacks its entry point or does not link: 400 with diagnostics. */
export class PluginRejected extends Error {
  constructor(
    readonly kind: RejectionKind,
    message: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(message);
  }

  /** The response body, on every route that checks plugins. */
  get body(): { error: RejectionKind; message: string; diagnostics: Diagnostic[] } {
    return { error: this.kind, message: this.message, diagnostics: this.diagnostics };
  }
}

export interface CheckedPlugin {
  module: CompiledModule;
  /** Warnings (a module that compiled has no errors). */
  diagnostics: Diagnostic[];
  compileMs: number;
}

/**
 * Compiles `source` as the image plugin `name`; throws PluginRejected (compile or ABI). The
 * server names the file `<name>.c` and offers no includes but the image header; `kplug run
 * --image` passes the author's file name and the quoted headers beside it.
 */
export function checkPlugin(
  name: string,
  source: string,
  options: { file?: string; includes?: Record<string, string> } = {},
): CheckedPlugin {
  const file = options.file ?? `${name}.c`;
  const t0 = performance.now();
  const includes = { ...options.includes, ...IMAGE_INCLUDES };
  const result = compile(source, { file, includes });
  const compileMs = performance.now() - t0;
  if (!result.ok)
    throw new PluginRejected("compile-error", "compilation failed", result.diagnostics);
  const entry = entrySymbol(name);
  if (!result.module.exports.some((e) => e.name === entry)) {
    const message = entryRequirement(name);
    throw new PluginRejected("abi-error", message, [
      ...result.diagnostics,
      // At the entry point the author most likely meant (another name's), else the top.
      { severity: "error", file, ...locationOf(source, /\b[A-Za-z_]\w*_transform\s*\(/), message },
    ]);
  }
  return { module: result.module, diagnostics: result.diagnostics, compileMs };
}

/** An image plugin uploaded as WebAssembly (any toolchain), with optional C declarations. */
export interface WasmUpload {
  wasm: Uint8Array;
  /** The client's C declarations (`X-Kplug-Header`); else a `kplug.sig` section, else derived. */
  header: string | undefined;
}

/**
 * The declarations a wasm image plugin is linked with: the image ABI (so `malloc` and the
 * structs are known), the client's own, and the entry point's, which every image plugin has.
 */
export function wasmPluginHeader(name: string, clientHeader: string | undefined): string {
  const entry = `int ${entrySymbol(name)}(const image *in, image *out, const params *p);`;
  return `${IMAGE_HEADER}\n${clientHeader ?? ""}\n${entry}\n`;
}

/** Checks that a wasm upload exports its entry point; malformed bytes are left to the link. */
export function checkWasmPlugin(name: string, upload: WasmUpload): void {
  let names: string[];
  try {
    names = decodeModule(upload.wasm).exports.map((e) => e.name);
  } catch {
    return;
  }
  if (!names.includes(entrySymbol(name))) {
    const message = entryRequirement(name);
    throw new PluginRejected("abi-error", message, [
      { severity: "error", file: `${name}.wasm`, line: 1, col: 1, message },
    ]);
  }
}

/**
 * Links the checked plugin with `link` and returns the time it took; a link failure (an
 * unknown extern, a symbol clashing with the library) becomes PluginRejected at the `extern`
 * declaration the compiler recorded for the symbol (or its first call), else at the first use
 * of the symbol the message names.
 */
export function linkPlugin(name: string, source: string, link: () => void): number {
  const t0 = performance.now();
  try {
    link();
  } catch (e) {
    // The kernel's typed refusals say what is wrong; an engine's own text does not reach the
    // client (it is no link problem the author can act on).
    const typed =
      e instanceof LinkError ||
      e instanceof KernelError ||
      e instanceof CompileError ||
      e instanceof SignatureError;
    const message = typed ? e.message : "the module could not be linked (internal error)";
    const placed =
      e instanceof LinkError && e.loc
        ? { severity: "error" as const, ...e.loc, message }
        : linkDiagnostic(name, source, message);
    throw new PluginRejected("link-error", message, [placed]);
  }
  return performance.now() - t0;
}

/** 1-based line and column of the first match of `pattern`, or 1:1. */
export function locationOf(source: string, pattern: RegExp): { line: number; col: number } {
  const m = pattern.exec(source);
  if (!m) return { line: 1, col: 1 };
  const before = source.slice(0, m.index);
  const line = before.split("\n").length;
  return { line, col: m.index - before.lastIndexOf("\n") };
}

/**
 * A link error as a diagnostic, placed at the first use of the symbol it names: the first
 * quoted identifier in the message (other than the plugin's own name) that the source uses.
 */
function linkDiagnostic(name: string, source: string, message: string): Diagnostic {
  let at = { line: 1, col: 1 };
  for (const [, symbol] of message.matchAll(/'([A-Za-z_]\w*)'/g)) {
    const use = new RegExp(`\\b${symbol}\\b`);
    if (symbol !== name && use.test(source)) {
      at = locationOf(source, use);
      break;
    }
  }
  return { severity: "error", file: `${name}.c`, ...at, message };
}
