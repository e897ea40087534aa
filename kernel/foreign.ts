// Foreign modules (WebAssembly from clang, rustc, zig…) made linkable like KP-C's: verified
// against what the runtime grants, metered by rewriting (wasm/instrument.ts), given C
// signatures, and described as a `CompiledModule` so the runtime links them with the same code
// as its own plugins. Two kinds (wasm/foreign.ts):
//   shared library  dylink.0, imports `env.memory`: its data lives in the runtime's memory at
//                   `__memory_base`, it links with KP-C plugins both ways, pointers are shared.
//   standalone      defines its own memory: a separate address space, so pointer arguments refer
//                   to ITS memory. The host passes buffers through `plugin.ownMemory`
//                   (foreign-memory.ts); kernel exports and plugin functions taking pointers
//                   cannot be imported by it (they would read the runtime's memory).
//
// C signatures come from a header sent with the module (`add(name, bytes, { header })`) or from
// a `kplug.sig` custom section holding the same kind of C text; the header wins. Each is checked
// against the wasm type. A function without one gets a signature derived from its wasm type
// (i32 -> int, i64 -> long long, f32 -> float, f64 -> double), listed in `derivedSignatures`.
//
// The rewrite is cached by content hash in the kernel's ModuleCache: adding the same bytes
// again (to any runtime of the kernel) costs a signature check and a link, not a rewrite.

import { createRequire } from "node:module";
import { type CompiledModule, type FunctionSymbol, STACK_FLOOR } from "../cc/index.ts";
import {
  type ForeignImport,
  type ForeignModuleInfo,
  type ImportGrant,
  instrument,
  type ValType,
  verify,
  WasmVerifyError,
} from "../wasm/index.ts";
import { LinkError } from "./linker.ts";
import { PAGE } from "./memory.ts";
import type { ModuleCache } from "./module-cache.ts";
import { parseDeclarations, SignatureError } from "./signature.ts";

// node:crypto loads with the first foreign module, not at start: importing it cost ~2-3 ms of a
// cold `kplug run hello.c` (CPU profile of the built CLI), which never hashes anything.
const requireBuiltin = createRequire(import.meta.url);

function sha256Hex(bytes: Uint8Array): string {
  const crypto = requireBuiltin("node:crypto") as typeof import("node:crypto");
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** The custom section that may carry a module's C declarations (UTF-8 C text). */
export const SIGNATURE_SECTION = "kplug.sig";
/** Slots a foreign module may ask of the function table. */
export const MAX_FOREIGN_TABLE = 1 << 16;

/** A verified and rewritten foreign module, with C signatures: linkable like a compiled one. */
export interface ForeignModule extends CompiledModule {
  foreign: ForeignModuleInfo;
  /** Functions (imports and exports) whose signature was derived from the wasm type. */
  derivedSignatures: string[];
  /** SHA-256 of the original bytes. */
  hash: string;
}

/** Whether a module is another toolchain's wasm (verified and rewritten), not `compile()`'s. */
export function isForeign(m: CompiledModule): m is ForeignModule {
  return (m as Partial<ForeignModule>).foreign !== undefined;
}

/** What the cache keeps of one rewrite (signatures are per add: they depend on the header). */
export interface RewrittenModule {
  wasm: Uint8Array<ArrayBuffer>;
  info: ForeignModuleInfo;
  compiled: WebAssembly.Module;
  /** The `kplug.sig` section's text, if any. */
  declarations: string | undefined;
}

export interface ForeignContext {
  modules: ModuleCache;
  /** Functions the runtime could link: granted kernel exports and other plugins' symbols. */
  functions: Iterable<FunctionSymbol>;
  memoryLimit: number;
}

export interface ForeignOptions {
  /** C declarations of the module's imports and exports. */
  header?: string;
}

const GOT_HINT =
  " (a shared library takes the address of one of its exported symbols through the GOT," +
  " which kplug does not provide: make the symbol static or hidden)";

/** Loader exports that are not symbols of the plugin. */
const LOADER_EXPORTS = new Set(["__wasm_call_ctors", "__wasm_apply_data_relocs"]);

/** Verifies, rewrites (or takes from the cache) and types a foreign module; LinkError if refused. */
export function loadForeign(
  name: string,
  bytes: Uint8Array,
  ctx: ForeignContext,
  options: ForeignOptions = {},
): ForeignModule {
  const maxMemoryPages = Math.floor(ctx.memoryLimit / PAGE);
  const hash = sha256Hex(bytes);
  const rewritten = ctx.modules.rewritten(`${hash}:${maxMemoryPages}`, () => {
    try {
      const v = verify(bytes, {
        grants: grantsFor(ctx.functions),
        maxMemoryPages,
        maxTableSize: MAX_FOREIGN_TABLE,
        allowStart: true, // metered like the rest, with the runtime's budget (foreign-instance.ts)
      });
      const { wasm, info } = instrument(v, { stackFloor: STACK_FLOOR, maxMemoryPages });
      const section = v.module.customs.find((c) => c.name === SIGNATURE_SECTION);
      const declarations = section ? new TextDecoder().decode(section.bytes) : undefined;
      return { wasm, info, compiled: new WebAssembly.Module(wasm), declarations };
    } catch (e) {
      if (e instanceof WasmVerifyError) {
        const hint = e.item.startsWith("import GOT.") ? GOT_HINT : "";
        throw new LinkError(`plugin '${name}': refused: ${e.message}${hint}`, e.item);
      }
      throw e;
    }
  });
  const { info } = rewritten;
  const declared = new Map<string, FunctionSymbol>();
  const declare = (text: string, file: string) => {
    let found: Map<string, FunctionSymbol>;
    try {
      found = parseDeclarations(text, file);
    } catch (e) {
      if (!(e instanceof SignatureError)) throw e;
      throw new LinkError(`plugin '${name}': bad C declarations in ${file}:\n${e.message}`, file);
    }
    for (const [k, s] of found) declared.set(k, s);
  };
  if (rewritten.declarations !== undefined) declare(rewritten.declarations, SIGNATURE_SECTION);
  if (options.header !== undefined) declare(options.header, `${name}.h`);
  const derived: string[] = [];
  const typed = (fn: { name: string; params: ValType[]; results: ValType[] }, what: string) => {
    const decl = declared.get(fn.name);
    if (!decl) {
      derived.push(fn.name);
      return derivedSymbol(name, fn, what);
    }
    if (!sameTypes(decl.params, fn.params) || !sameTypes(decl.results, fn.results)) {
      throw new LinkError(
        `plugin '${name}': signature mismatch for ${what} '${fn.name}': declared as ` +
          `'${decl.signature}' ${wasmType(decl)}, but its wasm type is ${wasmType(fn)}`,
        fn.name,
        decl.signature,
      );
    }
    return decl;
  };
  const imports = info.imports
    .filter((i): i is Extract<ForeignImport, { kind: "func" }> => i.kind === "func")
    .map((i) => typed(i, "import"));
  const exports = info.exports
    .filter((e) => !LOADER_EXPORTS.has(e.name))
    .map((e) => typed(e, "export"));
  if (info.kind === "standalone") {
    const withPointer = imports.find((s) => s.signature.includes("*"));
    if (withPointer) {
      throw new LinkError(
        `plugin '${name}': import '${withPointer.name}' takes pointers ('${withPointer.signature}'), ` +
          "but a standalone module has its own memory: only a shared library (dylink.0) can share pointers with the runtime",
        withPointer.name,
        withPointer.signature,
      );
    }
  }
  const module: ForeignModule = {
    file: `${name}.wasm`,
    imports,
    exports,
    dataSize: info.dataSize,
    dataAlign: info.dataAlign,
    tableSize: info.tableSize,
    uses: {
      stackPointer: info.uses.stackPointer,
      memoryBase: info.uses.memoryBase,
      tableBase: info.uses.tableBase,
      table: info.uses.table,
      fuel: true,
    },
    metered: true,
    wasm: rewritten.wasm,
    foreign: info,
    derivedSignatures: derived,
    hash,
  };
  ctx.modules.adopt(module, rewritten.compiled);
  return module;
}

/** The imports the runtime grants a foreign module: the linking convention plus `functions`. */
function grantsFor(functions: Iterable<FunctionSymbol>): ImportGrant[] {
  const env = "env";
  const grants: ImportGrant[] = [
    { module: env, name: "memory", kind: "memory" },
    { module: env, name: "__indirect_function_table", kind: "table" },
    { module: env, name: "__stack_pointer", kind: "global", type: "i32", mutable: true },
    { module: env, name: "__memory_base", kind: "global", type: "i32", mutable: false },
    { module: env, name: "__table_base", kind: "global", type: "i32", mutable: false },
  ];
  for (const f of functions) {
    grants.push({ module: env, name: f.name, kind: "func", params: f.params, results: f.results });
  }
  return grants;
}

const C_TYPE: Record<string, string> = {
  i32: "int",
  i64: "long long",
  f32: "float",
  f64: "double",
};

/** The plain scalar C signature of a wasm function type. */
function derivedSymbol(
  plugin: string,
  fn: { name: string; params: ValType[]; results: ValType[] },
  what: string,
): FunctionSymbol {
  const scalar = (t: ValType) => C_TYPE[t];
  if (fn.results.length > 1 || ![...fn.params, ...fn.results].every(scalar)) {
    throw new LinkError(
      `plugin '${plugin}': ${what} '${fn.name}' has the wasm type ${wasmType(fn)}, which no C signature has`,
      fn.name,
    );
  }
  const result = fn.results.length ? C_TYPE[fn.results[0]!]! : "void";
  const params = fn.params.length ? fn.params.map((p) => C_TYPE[p]!).join(", ") : "void";
  return {
    name: fn.name,
    signature: `${result} (${params})`,
    params: [...fn.params],
    results: [...fn.results],
  };
}

function wasmType(fn: { params: readonly ValType[]; results: readonly ValType[] }): string {
  return `(${fn.params.join(", ")}) -> ${fn.results.length ? fn.results.join(", ") : "()"}`;
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
