// C function declarations as data: the kernel describes its host functions with C text
// ("int add(int a, int b)"), parsed here by the compiler's own front end so that the canonical
// signature compares exactly like a compiled module's imports (`FunctionSymbol.signature`).

import { type Diagnostic, DiagnosticSink, formatDiagnostics } from "./diagnostics.ts";
import { defaultLimits } from "./limits.ts";
import { wasmSignature } from "./lower-context.ts";
import type { FunctionSymbol } from "./module.ts";
import { parse } from "./parse.ts";
import { preprocess } from "./preprocess.ts";
import { signatureOf } from "./types.ts";

/** Headers every declaration may use (size_t, uint8_t, bool, ...). */
const PRELUDE = "#include <stddef.h>\n#include <stdint.h>\n#include <stdbool.h>\n";

/** What `parseDeclarations` returns: the functions by name, or why the text does not parse. */
export type DeclarationsResult =
  | { ok: true; functions: Map<string, FunctionSymbol> }
  | { ok: false; message: string; diagnostics: Diagnostic[] };

/** The function declarations in `source`, by name, or the formatted reason it does not parse. */
export function parseDeclarations(source: string, file = "<signature>"): DeclarationsResult {
  const diags = new DiagnosticSink(defaultLimits.maxErrors);
  const text = PRELUDE + source;
  let unit: ReturnType<typeof parse> | undefined;
  try {
    const tokens = preprocess(text, {
      file,
      includes: {},
      defines: {},
      limits: defaultLimits,
      diags,
    });
    if (!diags.hasErrors) unit = parse(tokens, { diags, limits: defaultLimits });
  } catch (e) {
    if (!diags.hasErrors) {
      return { ok: false, message: `${file}: ${(e as Error).message}`, diagnostics: diags.list };
    }
  }
  if (diags.hasErrors || !unit) {
    const errors = diags.list.filter((d) => d.severity === "error");
    return { ok: false, message: formatDiagnostics(errors, { [file]: text }), diagnostics: errors };
  }
  const functions = new Map<string, FunctionSymbol>();
  for (const v of unit.globals) {
    if (v.kind !== "function" || v.type.kind !== "function") continue;
    const { params, results } = wasmSignature(v.type);
    functions.set(v.name, {
      name: v.name,
      signature: signatureOf(v.type),
      params: [...params],
      results: [...results],
    });
  }
  return { ok: true, functions };
}
