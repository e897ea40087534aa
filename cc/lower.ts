// The back end: typed AST to a linkable wasm module plus its metadata, following the linking
// convention and ABI in module.ts. Module-level work lives here (imports, function indices,
// table, static data, relocations, exports); functions are lowered by FunctionLowerer.

import type { ValType } from "../wasm/index.ts";
import { CodeWriter, FUEL_RESERVE_GLOBAL, ModuleBuilder } from "../wasm/index.ts";
import type { FunctionDef, TranslationUnit, Var } from "./ast.ts";
import { type DiagnosticSink, type Loc, TooManyErrors } from "./diagnostics.ts";
import { chooseInlined } from "./inline.ts";
import { type Intrinsic, intrinsicFor, isSetjmp } from "./intrinsics.ts";
import type { CompileLimits } from "./limits.ts";
import { LINES_SECTION, LineTableBuilder } from "./line-table.ts";
import { analyzeUnit } from "./lower-analysis.ts";
import {
  emitGlobal,
  GlobalKind,
  type GlobalPatch,
  type ModuleContext,
  wasmSignature,
} from "./lower-context.ts";
import { layoutStaticData } from "./lower-data.ts";
import { FunctionLowerer, type LoweredFunction } from "./lower-function.ts";
import {
  type CompiledModule,
  ENTRY_SUFFIX,
  encodeModuleInfo,
  FUEL_LEFT_ADDR,
  type FunctionSymbol,
  JMP_COUNTER,
  LONGJMP_TAG,
  META_SECTION,
  type ModuleInfo,
} from "./module.ts";
import { isStackOverflow, StackExhausted } from "./stack-guard.ts";
import { type FunctionType, signatureOf } from "./types.ts";

export interface LowerContext {
  file: string;
  fuel: boolean;
  nullChecks: boolean;
  inline: boolean;
  /** Default true. */
  vectorize?: boolean;
  diags: DiagnosticSink;
  limits: CompileLimits;
}

const globalImports: { kind: GlobalKind; name: string; type: ValType; mutable: boolean }[] = [
  { kind: GlobalKind.stackPointer, name: "__stack_pointer", type: "i32", mutable: true },
  { kind: GlobalKind.memoryBase, name: "__memory_base", type: "i32", mutable: false },
  { kind: GlobalKind.tableBase, name: "__table_base", type: "i32", mutable: false },
  { kind: GlobalKind.fuel, name: "fuel", type: "i32", mutable: true },
  { kind: GlobalKind.jmpCounter, name: JMP_COUNTER, type: "i64", mutable: true },
  { kind: GlobalKind.fuelReserve, name: FUEL_RESERVE_GLOBAL.name, type: "f64", mutable: true },
];

export function lower(unit: TranslationUnit, ctx: LowerContext): CompiledModule | undefined {
  const { diags } = ctx;
  const errorsBefore = diags.errorCount;
  const facts = analyzeUnit(unit);

  for (const v of facts.addressTaken) {
    if (!v.def && isSetjmp(v)) {
      diags.error(v.loc, "the address of setjmp cannot be taken (it saves its caller's frame)");
    }
  }
  const intrinsics = new Map<Var, Intrinsic>();
  for (const v of facts.called) {
    if (v.def || facts.addressTaken.has(v)) continue;
    const intrinsic = intrinsicFor(v);
    if (intrinsic) intrinsics.set(v, intrinsic);
  }
  const inlined = ctx.inline ? chooseInlined(unit.functions, facts) : new Set<FunctionDef>();

  // A static function needs no body of its own when every use is an inlined call.
  const emitted = unit.functions.filter((def) => {
    const v = def.v;
    if (v.linkage !== "internal" || facts.addressTaken.has(v)) return true;
    return facts.called.has(v) && !inlined.has(def);
  });

  const imported: Var[] = [];
  for (const v of new Set([...facts.called, ...facts.addressTaken])) {
    if (!v.def && !intrinsics.has(v)) imported.push(v);
  }
  const funcIndex = new Map<Var, number>();
  for (const [i, v] of imported.entries()) funcIndex.set(v, i);
  for (const [i, def] of emitted.entries()) funcIndex.set(def.v, imported.length + i);
  const tableFuncs = [...facts.addressTaken];
  const tableSlot = new Map<Var, number>();
  for (const [i, v] of tableFuncs.entries()) tableSlot.set(v, i);

  const data = layoutStaticData(
    facts.globalsUsed,
    facts.blobs,
    (v) => tableSlot.get(v),
    diags,
    ctx.limits,
  );

  const builder = new ModuleBuilder();
  const patches: GlobalPatch[] = [];
  const inlineDefs = new Set(inlined);
  const lines = new LineTableBuilder();
  const firstCall = new Map<Var, Loc>();
  const mod: ModuleContext = {
    diags,
    firstCall,
    lines,
    fuel: ctx.fuel,
    nullChecks: ctx.nullChecks,
    vectorize: ctx.vectorize ?? true,
    limits: ctx.limits,
    patches,
    funcIndex: (v) => funcIndex.get(v),
    tableSlot: (v) => tableSlot.get(v),
    globalOffset: (v) => data.offsets.get(v),
    blobOffset: (b) => data.blobOffsets.get(b),
    inlineDef: (v) => (v.def && inlineDefs.has(v.def) ? v.def : undefined),
    intrinsic: (v) => intrinsics.get(v),
    typeIndex: (t) => builder.type(t),
  };

  const lowered: LoweredFunction[] = [];
  // Code counts towards the module size limit as it is produced, so inlining that multiplies
  // a small source stops at the function that crosses the limit.
  let moduleBytes = data.segment.length;
  for (const def of emitted) {
    try {
      const fn = new FunctionLowerer(mod, def, facts.functions.get(def)).lower();
      lowered.push(fn);
      for (const part of fn.parts) moduleBytes += part.length;
      if (moduleBytes > ctx.limits.maxModuleBytes) {
        diags.error(def.loc, moduleTooLarge(moduleBytes, ctx.limits));
        return undefined;
      }
    } catch (e) {
      if (e instanceof TooManyErrors) throw e;
      if (isStackOverflow(e)) {
        diags.error(def.loc, new StackExhausted(def.loc, def.v.name).message);
        continue;
      }
      const message = e instanceof Error ? e.message : String(e);
      diags.error(def.loc, `internal compiler error in '${def.v.name}': ${message}`);
    }
  }
  const start = data.relocations.length > 0 ? startFunction(mod, data.relocations) : undefined;
  if (diags.errorCount > errorsBefore) return undefined;

  // Imported globals: only those some code or segment refers to, indices in a fixed order.
  const usedGlobals = new Set<GlobalKind>(patches.map((p) => p.kind));
  if (data.segment.length > 0) usedGlobals.add(GlobalKind.memoryBase);
  if (tableFuncs.length > 0) usedGlobals.add(GlobalKind.tableBase);
  const globalIndex = new Map<GlobalKind, number>();
  builder.importMemory("env", "memory", { min: 1 });
  for (const g of globalImports) {
    if (usedGlobals.has(g.kind)) {
      globalIndex.set(g.kind, builder.importGlobal("env", g.name, g.type, g.mutable));
    }
  }
  for (const p of patches) p.w.bytes[p.pos] = globalIndex.get(p.kind)!;
  // setjmp's frames catch longjmp's exception: the runtime's tag (index 0, the only one).
  const usesSetjmp = [...facts.functions.values()].some((f) => f.setjmp);
  if (usesSetjmp) builder.importTag("env", LONGJMP_TAG, { params: ["i32", "i32"], results: [] });
  const usesTable = tableFuncs.length > 0 || facts.hasIndirectCalls;
  if (usesTable)
    builder.importTable("env", "__indirect_function_table", { min: tableFuncs.length });

  // An extern the source declares is pointed at there; one from a built-in header (`strlen`
  // when libc is not granted) at its first call in the source, which the author wrote.
  const importLoc = (v: Var): Loc => {
    const call = firstCall.get(v);
    const decl = { file: v.loc.file, line: v.loc.line, col: v.loc.col };
    return decl.file !== ctx.file && call?.file === ctx.file ? { ...call } : decl;
  };
  const symbol = (v: Var): FunctionSymbol => {
    const t = v.type as FunctionType;
    const sig = wasmSignature(t);
    return {
      name: v.name,
      signature: v.linkSignature ?? signatureOf(t),
      params: [...sig.params],
      results: [...sig.results],
    };
  };
  for (const v of imported)
    builder.importFunction("env", v.name, wasmSignature(v.type as FunctionType));
  emitted.forEach((def, i) => {
    const f = lowered[i]!;
    const index = builder.declareFunction(wasmSignature(def.type));
    builder.defineFunction(index, f.locals, concat(f.parts));
    lines.add(index, f.lines, f.parts[0]!.length);
    if (def.v.linkage !== "internal") builder.exportFunction(def.v.name, index);
  });
  if (globalIndex.has(GlobalKind.fuel)) {
    emitted.forEach((def, i) => {
      if (def.v.linkage !== "internal") {
        addEntryPoint(builder, def, imported.length + i, globalIndex.get(GlobalKind.fuel)!);
      }
    });
  }
  if (start) {
    const index = builder.addFunction({ params: [], results: [] }, [], start);
    builder.setStart(index);
  }
  if (tableFuncs.length > 0) {
    builder.addElements(
      { global: globalIndex.get(GlobalKind.tableBase)! },
      tableFuncs.map((v) => funcIndex.get(v)!),
    );
  }
  if (data.segment.length > 0) {
    builder.addData({ global: globalIndex.get(GlobalKind.memoryBase)! }, data.segment);
  }

  const info: ModuleInfo = {
    file: ctx.file,
    imports: imported.map((v) => ({ ...symbol(v), loc: importLoc(v) })),
    exports: emitted.filter((d) => d.v.linkage !== "internal").map((d) => symbol(d.v)),
    dataSize: data.size,
    dataAlign: data.align,
    tableSize: tableFuncs.length,
    uses: {
      stackPointer: usedGlobals.has(GlobalKind.stackPointer),
      memoryBase: usedGlobals.has(GlobalKind.memoryBase),
      tableBase: usedGlobals.has(GlobalKind.tableBase),
      table: usesTable,
      fuel: usedGlobals.has(GlobalKind.fuel),
      setjmp: usesSetjmp,
    },
    metered: ctx.fuel,
  };
  builder.addCustomSection(META_SECTION, encodeModuleInfo(info));
  builder.addCustomSection(LINES_SECTION, lines.encode());
  const wasm = builder.encode();
  if (wasm.length > ctx.limits.maxModuleBytes) {
    diags.error(
      emitted.at(-1)?.loc ?? { file: ctx.file, line: 1, col: 1 },
      moduleTooLarge(wasm.length, ctx.limits),
    );
    return undefined;
  }
  return { ...info, wasm };
}

function moduleTooLarge(bytes: number, limits: CompileLimits): string {
  return `the module would be too large (${bytes} bytes of code and data, limit ${limits.maxModuleBytes})`;
}

/**
 * `F$entry(fuel, ...args)`: the host's way in. Setting a WebAssembly.Global from JS costs more
 * than the whole upcall budget, so the budget travels as an argument and the remaining fuel is
 * left in memory for bookkeeping (see cc/module.ts).
 */
function addEntryPoint(
  builder: ModuleBuilder,
  def: FunctionDef,
  index: number,
  fuel: number,
): void {
  const sig = wasmSignature(def.type);
  const w = new CodeWriter();
  w.localGet(0).globalSet(fuel);
  for (let p = 0; p < sig.params.length; p++) w.localGet(p + 1);
  w.call(index);
  w.i32Const(0).globalGet(fuel).mem("i32_store", 2, FUEL_LEFT_ADDR);
  const entry = builder.addFunction(
    { params: ["i32", ...sig.params], results: [...sig.results] },
    [],
    w,
  );
  builder.exportFunction(def.v.name + ENTRY_SUFFIX, entry);
}

/** Writes the pointers stored in static data, which depend on where the module is placed. */
function startFunction(
  mod: ModuleContext,
  relocations: { at: number; base: "memory" | "table"; value: number }[],
): CodeWriter {
  const w = new CodeWriter();
  for (const r of relocations) {
    emitGlobal(mod, w, false, GlobalKind.memoryBase);
    emitGlobal(mod, w, false, r.base === "memory" ? GlobalKind.memoryBase : GlobalKind.tableBase);
    if (r.value !== 0) w.i32Const(r.value).op("i32_add");
    w.mem("i32_store", 2, r.at);
  }
  return w;
}

function concat(parts: CodeWriter[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p.finish(), at);
    at += p.length;
  }
  return out;
}

export type { ValType };
