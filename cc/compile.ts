// The compiler's entry point: source text in, a linkable wasm module (or diagnostics) out.
// preprocess -> parse (typed AST) -> lower (wasm). It never throws on bad input.
// The preprocessor runs as the parser reads (PreprocessStream, TokenWindow), so its output is
// never held whole; it reports to a sink of its own, so the result is as if it had run first:
// its diagnostics lead, and if it reports an error the parse is dropped.

import type { TranslationUnit } from "./ast.ts";
import { CompileAbort, type Diagnostic, DiagnosticSink, TooManyErrors } from "./diagnostics.ts";
import { type CompileLimits, defaultLimits } from "./limits.ts";
import { lower } from "./lower.ts";
import type { CompiledModule } from "./module.ts";
import { parse } from "./parse.ts";
import { PreprocessStream } from "./preprocess.ts";
import { isStackOverflow, NESTING_TOO_DEEP, StackExhausted } from "./stack-guard.ts";
import { TokenWindow } from "./token-window.ts";

/** Options of `compile()`; all optional. */
export interface CompileOptions {
  /** Name used in diagnostics and module metadata. */
  file?: string;
  /** Sources for `#include "name"`, by name. */
  includes?: Record<string, string>;
  /** Predefined object-like macros. */
  defines?: Record<string, string>;
  /** Compile fuel metering in (default true; switch off only to measure its cost). */
  fuel?: boolean;
  /**
   * Loads and stores through a pointer into the NULL page (the first 4 KiB) fault with kind
   * `null-pointer` (default true; false drops the checks: such accesses then succeed silently).
   */
  nullChecks?: boolean;
  /** Inline small functions (default true). */
  inline?: boolean;
  /**
   * Run simple counted loops over arrays in SIMD lanes, with a runtime check that falls back to
   * the scalar loop (default true; false for A/B measurements).
   */
  vectorize?: boolean;
  /** Bounds on this compilation, over `defaultLimits`. */
  limits?: Partial<CompileLimits>;
  /** Report every warning as an error, so that any warning fails the compile (gcc -Werror). */
  warningsAsErrors?: boolean;
}

/**
 * What `compile()` returns: the module and any warnings, or the diagnostics that stopped it
 * (at least one error). A failed compile is a value, never an exception.
 */
export type CompileResult =
  | { ok: true; module: CompiledModule; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Compiles one C source (KP-C: C with the built-in headers) to a
 * linkable WebAssembly module, fuel-metered unless `fuel: false`. It reads no files (quoted
 * includes come from `options.includes`) and is bounded by `options.limits`. It does not link
 * or run anything: add the module to a `Runtime` for that.
 */
export function compile(source: string, options: CompileOptions = {}): CompileResult {
  const file = options.file ?? "plugin.c";
  const limits = { ...defaultLimits, ...options.limits };
  const ppDiags = new DiagnosticSink(limits.maxErrors);
  const stream = new PreprocessStream(source, {
    file,
    includes: options.includes ?? {},
    defines: options.defines ?? {},
    limits,
    diags: ppDiags,
  });
  const diags = new DiagnosticSink(limits.maxErrors);
  let unit: TranslationUnit | undefined;
  let thrown: unknown;
  try {
    unit = parse(TokenWindow.over(stream), { diags, limits });
  } catch (e) {
    thrown = e;
  }
  stream.finish();
  if (stream.failure !== undefined) return thrownResult(stream.failure, ppDiags, file, options);
  if (ppDiags.hasErrors) return failed(ppDiags, options);
  diags.prepend(ppDiags);
  if (thrown !== undefined) return thrownResult(thrown, diags, file, options);
  if (diags.hasErrors || unit === undefined) return failed(diags, options);
  try {
    const module = lower(unit, {
      file,
      fuel: options.fuel ?? true,
      nullChecks: options.nullChecks ?? true,
      inline: options.inline ?? true,
      vectorize: options.vectorize ?? true,
      diags,
      limits,
    });
    if (diags.hasErrors || !module || (options.warningsAsErrors && diags.list.length > 0)) {
      return failed(diags, options);
    }
    return { ok: true, module, diagnostics: diags.list };
  } catch (e) {
    return thrownResult(e, diags, file, options);
  }
}

/** The result of a pass that threw `e`, its diagnostics in `diags`. */
function thrownResult(
  e: unknown,
  diags: DiagnosticSink,
  file: string,
  options: CompileOptions,
): CompileResult {
  if (e instanceof TooManyErrors || e instanceof CompileAbort) return failed(diags, options);
  if (e instanceof StackExhausted) {
    const { file, line, col } = e.loc;
    diags.list.push({ severity: "error", message: e.message, file, line, col });
    return failed(diags, options);
  }
  if (isStackOverflow(e)) {
    // A pass with no function to blame (the preprocessor, a static initializer).
    diags.list.push({ severity: "error", message: NESTING_TOO_DEEP, file, line: 1, col: 1 });
    return failed(diags, options);
  }
  // An internal error is a compiler bug, but it still must not escape to the host.
  const message = e instanceof Error ? e.message : String(e);
  diags.list.push({
    severity: "error",
    message: `internal compiler error: ${message}`,
    file,
    line: 1,
    col: 1,
  });
  return { ok: false, diagnostics: diags.list };
}

/** A failed compile's result; with `warningsAsErrors`, its warnings are errors too. */
function failed(diags: DiagnosticSink, options: CompileOptions): CompileResult {
  const list = options.warningsAsErrors
    ? diags.list.map(
        (d): Diagnostic => (d.severity === "warning" ? { ...d, severity: "error" } : d),
      )
    : diags.list;
  return { ok: false, diagnostics: list };
}
