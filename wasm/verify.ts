// Verification of a foreign WebAssembly module (built by clang, rustc, zig…) before the kernel
// links it: the module must be valid, import only what the runtime grants (by name, kind and
// exact wasm type), stay within the runtime's memory and table limits and use only features
// the metering rewriter (wasm/instrument.ts) understands. Each refusal is a WasmVerifyError
// naming the item, e.g. `import env.fopen: not granted`.
//
// Refused features, and why:
//   shared memory, atomics    threads: another thread could run the module outside metering
//   multiple memories/tables  the linking convention has one memory and one function table
//   SIMD                      the decoder does not know SIMD immediates, so it cannot meter it
//   exception handling        a `catch_all` could swallow a host's fuel or fault exception, and
//                             the meter does not restore its depth counter at a `catch`
//                             (kplug's own modules use try/catch for setjmp; they are compiled,
//                             not verified)
//   tail calls, reference types, passive segments (memory.init, table.*)
//   start function            unless the policy allows it (it is metered like any function, with
//                             the fuel the host sets before instantiating)

import { ENTRY_SUFFIX } from "./convention.ts";
import {
  type DecodedImport,
  type DecodedModule,
  decodeModule,
  forEachInstruction,
  WasmDecodeError,
} from "./decoder.ts";
import { DYLINK_SECTION, type DylinkInfo, decodeDylink } from "./dylink.ts";
import type { FuncType, Limits } from "./encoder.ts";
import { FUEL_RESERVE_GLOBAL } from "./fuel-refill.ts";
import { functionNames } from "./names.ts";
import type { ValType } from "./opcodes.ts";

export class WasmVerifyError extends Error {
  constructor(
    /** What was refused: `import env.fopen`, `memory 0`, `function 3 (fib)`, `module`… */
    readonly item: string,
    readonly reason: string,
  ) {
    super(`${item}: ${reason}`);
    this.name = "WasmVerifyError";
  }
}

/** One import the runtime offers, with the exact wasm type it must have. */
export type ImportGrant =
  | { module: string; name: string; kind: "func"; params: ValType[]; results: ValType[] }
  | { module: string; name: string; kind: "global"; type: ValType; mutable: boolean }
  | { module: string; name: string; kind: "memory" }
  | { module: string; name: string; kind: "table" };

export interface VerifyPolicy {
  grants: readonly ImportGrant[];
  /** Largest initial or maximum size of any memory, in 64 KiB pages. */
  maxMemoryPages: number;
  /** Largest initial or maximum size of the function table, in slots. */
  maxTableSize: number;
  allowStart?: boolean;
  /** Largest function body in bytes (default 1 MiB): bounds the rewrite's time and memory. */
  maxFunctionBytes?: number;
  /** Largest module in bytes (default 16 MiB). */
  maxModuleBytes?: number;
}

/** Names the metering rewriter adds; a module defining them could impersonate its code. */
export const DEPTH_EXPORT = "__kplug_depth";
export const FUEL_GLOBAL = { module: "env", name: "fuel" } as const;

export interface VerifiedModule {
  bytes: Uint8Array;
  module: DecodedModule;
  /** Present for position-independent shared libraries (imported memory, `dylink.0`). */
  dylink?: DylinkInfo;
  /** Function names from the name section, for messages. */
  names: Map<number, string>;
}

const DEFAULT_MAX_FUNCTION_BYTES = 1 << 20;
const DEFAULT_MAX_MODULE_BYTES = 16 << 20;

/** Verifies `bytes` against `policy`; throws WasmVerifyError for the first refused item. */
export function verify(bytes: Uint8Array, policy: VerifyPolicy): VerifiedModule {
  const maxModule = policy.maxModuleBytes ?? DEFAULT_MAX_MODULE_BYTES;
  if (bytes.length > maxModule) {
    throw new WasmVerifyError("module", `${bytes.length} bytes exceeds the limit of ${maxModule}`);
  }
  const module = decodeOrRefuse(bytes);
  const names = functionNames(module.customs);
  if (module.customs.some((c) => c.name === "linking")) {
    throw new WasmVerifyError("module", "a relocatable object file (link it with wasm-ld first)");
  }
  checkFeatures(module);
  const maxBody = policy.maxFunctionBytes ?? DEFAULT_MAX_FUNCTION_BYTES;
  const imported = module.imports.filter((i) => i.kind === "func").length;
  module.code.forEach((code, i) => {
    const index = imported + i;
    if (code.body.length > maxBody) {
      throw new WasmVerifyError(
        funcItem(index, names),
        `body of ${code.body.length} bytes exceeds the limit of ${maxBody}`,
      );
    }
    checkInstructions(code.body, funcItem(index, names));
  });
  // Only now the engine's own validation: the checks above name the item, V8 would not.
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
    throw new WasmVerifyError("module", `invalid: ${compileMessage(bytes)}`);
  }
  for (const imp of module.imports) checkImport(imp, module.types, policy);
  module.memories.forEach((m, i) => {
    checkLimits(`memory ${i + importCount(module, "memory")}`, m, policy.maxMemoryPages, "pages");
  });
  module.tables.forEach((t, i) => {
    checkLimits(`table ${i + importCount(module, "table")}`, t, policy.maxTableSize, "slots");
  });
  if (module.start !== undefined && !policy.allowStart) {
    throw new WasmVerifyError(`start ${funcItem(module.start, names)}`, "not allowed");
  }
  for (const e of module.exports) {
    if (e.name.endsWith(ENTRY_SUFFIX) || e.name === DEPTH_EXPORT) {
      throw new WasmVerifyError(`export ${e.name}`, "reserved name");
    }
  }
  const hasDylink = module.customs.some((c) => c.name === DYLINK_SECTION || c.name === "dylink");
  let dylink: DylinkInfo | undefined;
  if (hasDylink) {
    try {
      dylink = decodeDylink(bytes);
    } catch (e) {
      throw new WasmVerifyError(DYLINK_SECTION, (e as Error).message);
    }
    if (dylink && dylink.tableSize > policy.maxTableSize) {
      throw new WasmVerifyError(
        DYLINK_SECTION,
        `table size ${dylink.tableSize} exceeds the limit of ${policy.maxTableSize}`,
      );
    }
  }
  return { bytes, module, dylink, names };
}

function decodeOrRefuse(bytes: Uint8Array): DecodedModule {
  try {
    return decodeModule(bytes);
  } catch (e) {
    if (!(e instanceof WasmDecodeError)) throw e;
    // Malformed for the engine too, or valid but beyond what the decoder supports?
    if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
      throw new WasmVerifyError("module", `invalid: ${compileMessage(bytes)}`);
    }
    throw new WasmVerifyError("module", `unsupported: ${e.message}`);
  }
}

function compileMessage(bytes: Uint8Array): string {
  try {
    new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    return "rejected by the engine";
  } catch (e) {
    return (e as Error).message;
  }
}

function importCount(m: DecodedModule, kind: DecodedImport["kind"]): number {
  return m.imports.filter((i) => i.kind === kind).length;
}

function funcItem(index: number, names: Map<number, string>): string {
  const name = names.get(index);
  return name === undefined ? `function ${index}` : `function ${index} (${name})`;
}

function checkFeatures(m: DecodedModule): void {
  const memories = [
    ...m.imports.flatMap((i) => (i.kind === "memory" ? [i.limits] : [])),
    ...m.memories,
  ];
  memories.forEach((l, i) => {
    if (i > 0) throw new WasmVerifyError(`memory ${i}`, "multiple memories are not supported");
    if (l.shared) throw new WasmVerifyError(`memory ${i}`, "shared memory is not supported");
  });
  const tables = importCount(m, "table") + m.tables.length;
  if (tables > 1) throw new WasmVerifyError("table 1", "multiple tables are not supported");
}

/** Prefix bytes of instructions the decoder does not know, by the feature they belong to. */
function unsupportedFeature(body: Uint8Array, offset: number): string | undefined {
  const op = body[offset]!;
  if (op === 0xfd) return "SIMD";
  if (op === 0xfe) return "threads (atomics)";
  if ((op >= 0x06 && op <= 0x0a) || op === 0x18 || op === 0x19) return "exception handling";
  if (op === 0x12 || op === 0x13) return "tail calls";
  if (op === 0x1c || op === 0x25 || op === 0x26 || (op >= 0xd0 && op <= 0xd2))
    return "reference types";
  if (op === 0xfc) {
    const sub = body[offset + 1]!;
    if (sub === 8 || sub === 9) return "passive data segments (memory.init, data.drop)";
    if (sub >= 12 && sub <= 17) return "table instructions";
  }
  return undefined;
}

const EXCEPTION_OPCODES = new Set([0x06, 0x07, 0x08, 0x09, 0x18, 0x19]);

function checkInstructions(body: Uint8Array, item: string): void {
  try {
    forEachInstruction(body, (ins) => {
      // The decoder knows the legacy exception-handling instructions (kplug's setjmp uses them).
      if (EXCEPTION_OPCODES.has(ins.opcode)) {
        throw new WasmVerifyError(
          item,
          `exception handling (${ins.name}) at body offset ${ins.offset} is not supported`,
        );
      }
    });
  } catch (e) {
    if (!(e instanceof WasmDecodeError)) throw e;
    const feature = unsupportedFeature(body, e.offset);
    const where = `at body offset ${e.offset}`;
    if (feature) throw new WasmVerifyError(item, `${feature} ${where} is not supported`);
    if (/memory index/.test(e.message))
      throw new WasmVerifyError(item, `multiple memories ${where} are not supported`);
    throw new WasmVerifyError(item, e.message);
  }
}

function typeText(t: FuncType): string {
  return `(${t.params.join(", ")}) -> ${t.results.length ? t.results.join(", ") : "()"}`;
}

function checkImport(imp: DecodedImport, types: FuncType[], policy: VerifyPolicy): void {
  const item = `import ${imp.module}.${imp.name}`;
  if (imp.kind === "tag") throw new WasmVerifyError(item, "exception tags are not supported");
  if (imp.module === FUEL_GLOBAL.module && imp.name === FUEL_GLOBAL.name) {
    // The metering global itself: granted to every module, but only with its real type.
    if (imp.kind !== "global" || imp.type !== "i32" || !imp.mutable) {
      throw new WasmVerifyError(item, "must be a mutable i32 global (the fuel counter)");
    }
    return;
  }
  if (imp.module === FUEL_RESERVE_GLOBAL.module && imp.name === FUEL_RESERVE_GLOBAL.name) {
    // The rewrite imports it for its refill function; code of the module's own must not touch it.
    throw new WasmVerifyError(item, "is reserved for fuel metering");
  }
  const grant = policy.grants.find((g) => g.module === imp.module && g.name === imp.name);
  if (!grant) throw new WasmVerifyError(item, "not granted");
  if (grant.kind !== imp.kind) {
    throw new WasmVerifyError(item, `is a ${imp.kind}, the runtime grants a ${grant.kind}`);
  }
  if (imp.kind === "func" && grant.kind === "func") {
    const have = types[imp.type]!;
    if (!sameTypes(have.params, grant.params) || !sameTypes(have.results, grant.results)) {
      throw new WasmVerifyError(
        item,
        `type ${typeText(have)} does not match the granted ${typeText(grant)}`,
      );
    }
  } else if (imp.kind === "global" && grant.kind === "global") {
    if (imp.type !== grant.type || imp.mutable !== grant.mutable) {
      const want = `${grant.mutable ? "mutable " : ""}${grant.type}`;
      throw new WasmVerifyError(item, `must be a ${want} global`);
    }
  } else if (imp.kind === "memory") {
    checkLimits(item, imp.limits, policy.maxMemoryPages, "pages");
  } else if (imp.kind === "table") {
    checkLimits(item, imp.limits, policy.maxTableSize, "slots");
  }
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function checkLimits(item: string, l: Limits, limit: number, unit: string): void {
  if (l.min > limit) {
    throw new WasmVerifyError(item, `initial ${l.min} ${unit} exceeds the limit of ${limit}`);
  }
  if (l.max !== undefined && l.max > limit) {
    throw new WasmVerifyError(item, `maximum ${l.max} ${unit} exceeds the limit of ${limit}`);
  }
}
