// What the kernel needs to link a rewritten foreign module, in the terms of kplug's own
// ModuleInfo (cc/module.ts) minus the C signatures, which come later from a header: the wasm
// types of its imports and exports, the static data and table slots to reserve, which of the
// linking convention's imports it uses, and how its metering talks to the host.

import { ENTRY_SUFFIX } from "./convention.ts";
import type { FuncType, Limits } from "./encoder.ts";
import type { ValType } from "./opcodes.ts";
import { DEPTH_EXPORT, type VerifiedModule } from "./verify.ts";

export type ForeignImport =
  | { module: string; name: string; kind: "func"; params: ValType[]; results: ValType[] }
  | { module: string; name: string; kind: "global"; type: ValType; mutable: boolean }
  | { module: string; name: string; kind: "memory" | "table"; limits: Limits };

export interface ForeignFunction {
  name: string;
  params: ValType[];
  results: ValType[];
}

export interface ForeignModuleInfo {
  /**
   * "shared-library": imports the runtime's memory (dylink.0); its data lives at
   * `__memory_base` in the shared memory. "standalone": defines its own memory, so it runs in an
   * instance of its own and its pointers refer to that memory.
   */
  kind: "shared-library" | "standalone";
  /** The module's imports as it declared them (`env.fuel` included when it declared it). */
  imports: ForeignImport[];
  /** Exported functions (their `F$entry` twins not listed). */
  exports: ForeignFunction[];
  /** Bytes of static data to reserve at `__memory_base` (dylink.0; 0 for standalone). */
  dataSize: number;
  dataAlign: number;
  /** Table slots to reserve at `__table_base`. */
  tableSize: number;
  tableAlign: number;
  /** Shared libraries it needs (dylink.0). */
  needed: string[];
  /** A standalone module's own memory after the rewrite (its maximum may have been capped). */
  memory?: Limits;
  uses: {
    memory: boolean;
    stackPointer: boolean;
    memoryBase: boolean;
    tableBase: boolean;
    table: boolean;
    /** Always true: the rewrite imports `env.fuel`. */
    fuel: true;
  };
  metered: true;
  entrySuffix: typeof ENTRY_SUFFIX;
  /**
   * Where `F$entry` leaves the remaining fuel: at `addr` in the shared memory, or only in the
   * `env.fuel` global (standalone modules).
   */
  fuelLeft: { in: "memory"; addr: number } | { in: "global" };
  /** The exported mutable i32 depth counter: reset it to 0 after a fault; above `maxDepth` means a depth trap. */
  depth: { export: typeof DEPTH_EXPORT; max: number };
  /** Has a start function (run at instantiation, metered with the fuel the host set). */
  start: boolean;
  /** Exports `__wasm_call_ctors`, which the loader calls once after instantiation. */
  ctors: boolean;
}

export function describeForeign(
  v: VerifiedModule,
  rewrite: {
    maxDepth: number;
    fuelLeftAddr: number | undefined;
    memories: Limits[];
    entries: { name: string; type: FuncType }[];
  },
): ForeignModuleInfo {
  const m = v.module;
  const imports = m.imports.map((imp): ForeignImport => {
    if (imp.kind === "func") {
      const t = m.types[imp.type]!;
      return { ...base(imp), kind: "func", params: [...t.params], results: [...t.results] };
    }
    if (imp.kind === "global")
      return { ...base(imp), kind: "global", type: imp.type, mutable: imp.mutable };
    if (imp.kind === "tag")
      throw new Error(`import ${imp.module}.${imp.name}: a tag (refused by verify)`);
    return { ...base(imp), kind: imp.kind, limits: imp.limits };
  });
  const has = (name: string) => m.imports.some((i) => i.module === "env" && i.name === name);
  const importsMemory = m.imports.some((i) => i.kind === "memory");
  const d = v.dylink;
  return {
    kind: importsMemory ? "shared-library" : "standalone",
    imports,
    exports: rewrite.entries.map((e) => ({
      name: e.name,
      params: [...e.type.params],
      results: [...e.type.results],
    })),
    dataSize: d?.memorySize ?? 0,
    dataAlign: d?.memoryAlign ?? 1,
    tableSize: d?.tableSize ?? 0,
    tableAlign: d?.tableAlign ?? 1,
    needed: d?.needed ?? [],
    ...(rewrite.memories[0] ? { memory: rewrite.memories[0] } : {}),
    uses: {
      memory: importsMemory,
      stackPointer: has("__stack_pointer"),
      memoryBase: has("__memory_base"),
      tableBase: has("__table_base"),
      table: m.imports.some((i) => i.kind === "table"),
      fuel: true,
    },
    metered: true,
    entrySuffix: ENTRY_SUFFIX,
    fuelLeft:
      rewrite.fuelLeftAddr === undefined
        ? { in: "global" }
        : { in: "memory", addr: rewrite.fuelLeftAddr },
    depth: { export: DEPTH_EXPORT, max: rewrite.maxDepth },
    start: m.start !== undefined,
    ctors: m.exports.some((e) => e.kind === "func" && e.name === "__wasm_call_ctors"),
  };
}

function base(imp: { module: string; name: string }) {
  return { module: imp.module, name: imp.name };
}
