// C signatures of kernel exports. A host declares a built-in with a C declaration such as
// "int add(int a, int b)"; the compiler's front end parses it (cc/c-declarations.ts).

import { type FunctionSymbol, parseDeclarations as parseC } from "../cc/index.ts";

/** A kernel export declared with C text that is not exactly one function declaration. */
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
  const result = parseC(source, file);
  if (!result.ok) throw new SignatureError(result.message);
  return result.functions;
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
