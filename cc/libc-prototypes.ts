// The built-in headers' prototypes of the C library, for declarations written without the
// header. gcc knows these functions as built-ins: a declaration that disagrees with one is a
// warning (-Wbuiltin-declaration-mismatch), and `void *malloc();` gets the real prototype.
// Here such a declaration links against the kernel's function under the library's signature
// when the two agree at the wasm level (same parameter and result types), so it runs as gcc's
// build does; when they do not, it is an error (no call through it could work).

import { DiagnosticSink } from "./diagnostics.ts";
import { builtinHeaders, libcFunctions } from "./headers.ts";
import { defaultLimits } from "./limits.ts";
import { wasmSignature } from "./lower-context.ts";
import { parse } from "./parse.ts";
import { preprocess } from "./preprocess.ts";
import type { FunctionType } from "./types.ts";

const names = new Set(libcFunctions);
let prototypes: Map<string, FunctionType> | null = null;

/** The library's prototype of `name`, if it is a C library function (built on first use). */
export function libcPrototype(name: string): FunctionType | undefined {
  if (!names.has(name)) return undefined;
  if (prototypes === null) {
    prototypes = new Map();
    const source = Object.keys(builtinHeaders)
      .map((h) => `#include <${h}>\n`)
      .join("");
    const diags = new DiagnosticSink(1000);
    const ctx = { file: "<libc>", includes: {}, defines: {}, limits: defaultLimits, diags };
    const unit = parse(preprocess(source, ctx), { diags, limits: defaultLimits });
    for (const v of unit.globals) {
      if (v.kind === "function" && names.has(v.name)) {
        prototypes.set(v.name, v.type as FunctionType);
      }
    }
  }
  return prototypes.get(name);
}

/** Whether calls through `a` and `b` pass and return the same wasm values. */
export function sameWasmSignature(a: FunctionType, b: FunctionType): boolean {
  const x = wasmSignature(a);
  const y = wasmSignature(b);
  return x.params.join() === y.params.join() && x.results.join() === y.results.join();
}
