// C signatures of kernel exports. A host declares a built-in with a C declaration such as
// "int add(int a, int b)"; it is parsed by the compiler's own front end, so the canonical
// signature compares exactly like the compiler's imports (`FunctionSymbol.signature`).

import { DiagnosticSink, formatDiagnostics } from "../cc/diagnostics.ts";
import { defaultLimits } from "../cc/limits.ts";
import { wasmSignature } from "../cc/lower-context.ts";
import type { FunctionSymbol } from "../cc/module.ts";
import { parse } from "../cc/parse.ts";
import { preprocess } from "../cc/preprocess.ts";
import { signatureOf } from "../cc/types.ts";

/** Headers every signature may use (size_t, uint8_t, bool, ...). */
const PRELUDE = "#include <stddef.h>\n#include <stdint.h>\n#include <stdbool.h>\n";

export class SignatureError extends Error {
  override name = "SignatureError";
}

/**
 * Parses C source and returns the function declarations it contains, by name. Throws a
 * SignatureError carrying the formatted diagnostics if the text does not compile.
 */
export function parseDeclarations(
  source: string,
  file = "<signature>",
): Map<string, FunctionSymbol> {
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
    if (!diags.hasErrors) throw new SignatureError(`${file}: ${(e as Error).message}`);
  }
  if (diags.hasErrors || !unit) {
    throw new SignatureError(
      formatDiagnostics(
        diags.list.filter((d) => d.severity === "error"),
        { [file]: text },
      ),
    );
  }
  const out = new Map<string, FunctionSymbol>();
  for (const v of unit.globals) {
    if (v.kind !== "function" || v.type.kind !== "function") continue;
    const { params, results } = wasmSignature(v.type);
    out.set(v.name, {
      name: v.name,
      signature: signatureOf(v.type),
      params: [...params],
      results: [...results],
    });
  }
  return out;
}

/** Parses one C function declaration, e.g. `void log_msg(const char *s)`. */
export function parseSignature(declaration: string): FunctionSymbol {
  const decl = declaration.trim().replace(/;\s*$/, "");
  const found = parseDeclarations(`${decl};\n`);
  if (found.size !== 1) {
    throw new SignatureError(`expected one function declaration, got: ${declaration}`);
  }
  return found.values().next().value!;
}
