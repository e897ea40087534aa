// The metering rewriter for verified foreign modules: every function body gets fuel accounting
// and a depth limit (wasm/meter.ts), each exported function F gets an `F$entry(fuel, …)`
// export like KP-C's, and the module is described in the terms the kernel links by
// (wasm/foreign.ts). Only sections that change are re-encoded; the rest are copied byte for byte.
//
// Depth is counted only where a recursion can pass (wasm/call-graph.ts): in functions on a
// cycle of direct calls, and in functions making indirect calls (their target is unknown).
// Any unbounded chain of calls inside the module either repeats a function reached by direct
// calls, so it runs around a cycle and every lap enters a counted function, or goes through
// call_indirect, whose caller is counted: the limit stops it after at most maxDepth counted
// frames, each followed by fewer uncounted frames than the module has functions. Leaves and
// functions that only call non-recursive functions cannot recurse and pay nothing (the
// suite's hot loops mostly live there). A cycle that leaves the module through an import
// (a host or KP-C function calling back into an export) is not counted here: V8's own
// stack limit stops it, which the kernel reports as `stack-exhausted` too (kernel/faults.ts).
//
// Index spaces: the rewriter adds no function import, so function indices never move (calls,
// the element and start sections, the function names stay as they are); the entries are
// appended after the module's functions. The
// imports `env.fuel` (when the module lacks it) and `env.fuel_reserve` are appended after the
// other imports, which moves every defined global up by one or two: global.get/set, global
// exports and the name section's global names are remapped. (Constant expressions may only
// read imported globals, which do not move.)
//
// Where the remaining fuel goes after `F$entry`: a module that imports its memory (a shared
// library) shares the runtime's memory, so `F$entry` stores it at FUEL_LEFT_ADDR as KP-C's do.
// A standalone module's own memory is its data, so nothing is stored there: the remaining fuel
// is in `env.fuel`, the global the host created and passes in (read it from JS after the call).

import { fuelFree, onCallCycle, summarizeBody } from "./call-graph.ts";
import { ENTRY_SUFFIX, FUEL_LEFT_ADDR } from "./convention.ts";
import { Reader } from "./decoder.ts";
import { ByteWriter, CodeWriter, type FuncType, funcTypeKey, type Limits } from "./encoder.ts";
import { describeForeign, type ForeignModuleInfo } from "./foreign.ts";
import { FUEL_RESERVE_GLOBAL } from "./fuel-refill.ts";
import { meterBody } from "./meter.ts";
import { NAME_SECTION, remapGlobalNames } from "./names.ts";
import { Op, Section, type ValType, ValTypeCode } from "./opcodes.ts";
import { DEPTH_EXPORT, FUEL_GLOBAL, type VerifiedModule } from "./verify.ts";

export const DEFAULT_MAX_DEPTH = 2000;

export interface InstrumentOptions {
  /** Call depth beyond which a function traps (default DEFAULT_MAX_DEPTH). */
  maxDepth?: number;
  /** Where `F$entry` stores the remaining fuel when the module imports its memory. */
  fuelLeftAddr?: number;
  /** With `env.__stack_pointer` imported: a store below this address traps (shadow-stack overflow). */
  stackFloor?: number;
  /** A defined memory without a maximum gets this one (pages). */
  maxMemoryPages?: number;
}

export interface InstrumentedModule {
  wasm: Uint8Array<ArrayBuffer>;
  info: ForeignModuleInfo;
}

export function instrument(v: VerifiedModule, options: InstrumentOptions = {}): InstrumentedModule {
  const m = v.module;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const types = m.types.map((t) => ({ params: [...t.params], results: [...t.results] }));
  const typeIndex = new Map(types.map((t, i) => [funcTypeKey(t), i] as const).reverse());
  const typeOf = (t: FuncType): number => {
    const key = funcTypeKey(t);
    let i = typeIndex.get(key);
    if (i === undefined) {
      i = types.push({ params: [...t.params], results: [...t.results] }) - 1;
      typeIndex.set(key, i);
    }
    return i;
  };

  const imports = [...m.imports];
  const importedGlobals = imports.filter((i) => i.kind === "global").length;
  const importedFuncs = imports.filter((i) => i.kind === "func").length;
  let fuelGlobal = 0;
  let shift = 0;
  {
    let g = 0;
    let found = -1;
    for (const imp of imports) {
      if (imp.kind !== "global") continue;
      if (imp.module === FUEL_GLOBAL.module && imp.name === FUEL_GLOBAL.name) found = g;
      g++;
    }
    if (found >= 0) fuelGlobal = found;
    else {
      imports.push({ ...FUEL_GLOBAL, kind: "global", type: "i32", mutable: true });
      fuelGlobal = importedGlobals;
      shift = 1;
    }
  }
  imports.push({ ...FUEL_RESERVE_GLOBAL, kind: "global", type: "f64", mutable: true });
  const reserveGlobal = importedGlobals + shift;
  shift++;
  const remapGlobal = (i: number) => (i < importedGlobals ? i : i + shift);
  const depthGlobal = importedGlobals + shift + m.globals.length;
  let spGlobal = -1;
  {
    let g = 0;
    for (const imp of imports) {
      if (imp.kind !== "global") continue;
      if (imp.module === "env" && imp.name === "__stack_pointer") spGlobal = g;
      g++;
    }
  }
  const stackPointer =
    options.stackFloor !== undefined && spGlobal >= 0
      ? { global: spGlobal, floor: options.stackFloor }
      : undefined;
  // Which functions keep a fuel counter and which count depth (see the header).
  const summaries = m.code.map((code) => summarizeBody(code.body));
  const free = summaries.map(fuelFree);
  const cyclic = onCallCycle(summaries, importedFuncs);
  const touchesFuel = (f: number) => f < importedFuncs || !free[f - importedFuncs];
  const ctx = {
    fuelGlobal,
    depthGlobal,
    maxDepth,
    remapGlobal,
    stackPointer,
    touchesFuel,
    reserveGlobal,
  };

  const functionType = (index: number): FuncType => {
    if (index < importedFuncs) {
      const imp = m.imports.filter((i) => i.kind === "func")[index]!;
      return types[(imp as { type: number }).type]!;
    }
    return types[m.functions[index - importedFuncs]!]!;
  };

  // Metered bodies.
  const bodies = m.code.map((code, i) => {
    const t = types[m.functions[i]!]!;
    const block = blockType(t.results, typeOf);
    const plan = { fuel: !free[i], depth: cyclic[i]! || summaries[i]!.indirect };
    return meterBody(code.body, code.locals, t.params.length, block, ctx, plan);
  });

  // Entry points, appended after the module's own functions.
  const importsMemory = m.imports.some((i) => i.kind === "memory");
  const fuelLeftAddr = importsMemory ? (options.fuelLeftAddr ?? FUEL_LEFT_ADDR) : undefined;
  const functions = [...m.functions];
  const exports = m.exports.map((e) =>
    e.kind === "global" ? { ...e, index: remapGlobal(e.index) } : e,
  );
  for (const e of m.exports) {
    if (e.kind !== "func") continue;
    const t = functionType(e.index);
    const w = new CodeWriter(32);
    w.localGet(0).globalSet(fuelGlobal);
    for (let p = 0; p < t.params.length; p++) w.localGet(p + 1);
    w.call(e.index);
    // Overshoot after the callee's last test still refuses the result (see meter.ts).
    w.globalGet(fuelGlobal).i32Const(0).op("i32_lt_s").if().op("unreachable").end();
    if (fuelLeftAddr !== undefined)
      w.i32Const(fuelLeftAddr).globalGet(fuelGlobal).mem("i32_store", 2);
    w.end();
    functions.push(typeOf({ params: ["i32", ...t.params], results: t.results }));
    bodies.push({ locals: [], body: w.finish().slice() });
    exports.push({
      name: e.name + ENTRY_SUFFIX,
      kind: "func",
      index: importedFuncs + functions.length - 1,
    });
  }
  exports.push({ name: DEPTH_EXPORT, kind: "global", index: depthGlobal });

  const memories = m.memories.map((l): Limits => {
    if (l.max !== undefined || options.maxMemoryPages === undefined) return l;
    return { min: l.min, max: Math.max(l.min, options.maxMemoryPages) };
  });

  // Re-encoded sections by id; the others are copied from the original bytes. Vector sections
  // that only grow keep their original entries verbatim (float constants keep their NaN bits).
  const original = sectionPayloads(v.bytes);
  const out = new Map<number, Uint8Array>();
  const section = (
    id: number,
    from: number,
    to: number,
    each: (w: ByteWriter, i: number) => void,
  ) => {
    const w = new ByteWriter(64 + (to - from) * 8);
    w.u32(to);
    const payload = original.get(id);
    if (from > 0 && payload) {
      // The original entries: everything after the original count.
      const r = new Reader(payload, 0, payload.length);
      r.u32();
      w.raw(r.take(r.end - r.pos));
    }
    for (let i = from; i < to; i++) each(w, i);
    out.set(id, w.finish());
  };
  section(Section.type, m.types.length, types.length, (w, i) => {
    const t = types[i]!;
    w.byte(0x60);
    w.u32(t.params.length);
    for (const p of t.params) w.byte(ValTypeCode[p]);
    w.u32(t.results.length);
    for (const r of t.results) w.byte(ValTypeCode[r]);
  });
  section(Section.import, m.imports.length, imports.length, (w, i) => {
    const imp = imports[i] as { module: string; name: string; type: ValType };
    w.name(imp.module);
    w.name(imp.name);
    w.byte(3);
    w.byte(ValTypeCode[imp.type]);
    w.byte(1);
  });
  section(Section.function, m.functions.length, functions.length, (w, i) => w.u32(functions[i]!));
  if (memories.length)
    section(Section.memory, 0, memories.length, (w, i) => writeLimits(w, memories[i]!));
  section(Section.global, m.globals.length, m.globals.length + 1, (w) => {
    w.byte(ValTypeCode.i32);
    w.byte(1);
    w.byte(Op.i32_const);
    w.s32(0);
    w.byte(Op.end);
  });
  const kinds = { func: 0, table: 1, memory: 2, global: 3 } as const;
  section(Section.export, 0, exports.length, (w, i) => {
    const e = exports[i]!;
    w.name(e.name);
    w.byte(kinds[e.kind]);
    w.u32(e.index);
  });
  section(Section.code, 0, bodies.length, (w, i) => {
    const { locals, body } = bodies[i]!;
    const code = new ByteWriter(body.length + 16);
    let groups = 0;
    for (let k = 0; k < locals.length; k++) if (k === 0 || locals[k] !== locals[k - 1]) groups++;
    code.u32(groups);
    for (let k = 0; k < locals.length; ) {
      let j = k + 1;
      while (j < locals.length && locals[j] === locals[k]) j++;
      code.u32(j - k);
      code.byte(ValTypeCode[locals[k]!]);
      k = j;
    }
    code.raw(body);
    w.sized(code);
  });

  const wasm = assemble(v.bytes, out, shift ? remapGlobal : undefined);
  const info = describeForeign(v, {
    maxDepth,
    fuelLeftAddr,
    memories,
    entries: m.exports
      .filter((e) => e.kind === "func")
      .map((e) => ({ name: e.name, type: functionType(e.index) })),
  });
  return { wasm, info };
}

/** The wrapper block's type: empty, one value, or a (new) type index for several results. */
function blockType(results: readonly ValType[], typeOf: (t: FuncType) => number): Uint8Array {
  if (results.length === 0) return new Uint8Array([0x40]);
  if (results.length === 1) return new Uint8Array([ValTypeCode[results[0]!]]);
  const w = new ByteWriter(8);
  w.s32(typeOf({ params: [], results }));
  return w.finish().slice();
}

/** Sections ranked in their required order (the data count section sits before code). */
const RANK: Record<number, number> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  6: 6,
  7: 7,
  8: 8,
  9: 9,
  12: 10,
  10: 11,
  11: 12,
};
const BY_RANK = Object.entries(RANK)
  .sort((a, b) => a[1] - b[1])
  .map(([id]) => Number(id));

/** Payloads of the non-custom sections by id (the module was decoded, so it is well formed). */
export function sectionPayloads(bytes: Uint8Array): Map<number, Uint8Array> {
  const payloads = new Map<number, Uint8Array>();
  const r = new Reader(bytes, 8, bytes.length);
  while (!r.done) {
    const id = r.u8();
    const payload = r.take(r.u32());
    if (id !== Section.custom) payloads.set(id, payload);
  }
  return payloads;
}

/**
 * The output module: re-encoded sections from `out`, everything else copied from `original`,
 * custom sections kept after the section they followed (so `dylink.0` stays first).
 */
export function assemble(
  original: Uint8Array,
  out: Map<number, Uint8Array>,
  remapGlobal: ((i: number) => number) | undefined,
): Uint8Array<ArrayBuffer> {
  const raw = new Map<number, Uint8Array>();
  const customsAfter = new Map<number, Uint8Array[]>(); // by rank of the preceding section
  const r = new Reader(original, 8, original.length);
  let rank = 0;
  while (!r.done) {
    const id = r.u8();
    const payload = r.take(r.u32());
    if (id !== Section.custom) {
      rank = RANK[id]!;
      raw.set(id, payload);
      continue;
    }
    let bytes: Uint8Array | undefined = payload;
    const name = new Reader(payload, 0, payload.length);
    if (name.name() === NAME_SECTION && remapGlobal) {
      const rest = remapGlobalNames(payload.subarray(name.pos), remapGlobal);
      if (rest) {
        const w = new ByteWriter(rest.length + 8);
        w.name(NAME_SECTION);
        w.raw(rest);
        bytes = w.finish().slice();
      } else bytes = undefined; // unreadable names are dropped rather than left wrong
    }
    if (bytes) {
      const list = customsAfter.get(rank) ?? [];
      list.push(bytes);
      customsAfter.set(rank, list);
    }
  }
  const w = new ByteWriter(original.length * 2 + 256);
  w.raw(original.subarray(0, 8));
  const emit = (id: number, payload: Uint8Array) => {
    w.byte(id);
    w.u32(payload.length);
    w.raw(payload);
  };
  for (const c of customsAfter.get(0) ?? []) emit(Section.custom, c);
  for (const id of BY_RANK) {
    const payload = out.get(id) ?? raw.get(id);
    if (payload) emit(id, payload);
    for (const c of customsAfter.get(RANK[id]!) ?? []) emit(Section.custom, c);
  }
  return w.finish().slice() as Uint8Array<ArrayBuffer>;
}

function writeLimits(w: ByteWriter, l: Limits): void {
  w.byte(l.max === undefined ? 0 : 1);
  w.u32(l.min);
  if (l.max !== undefined) w.u32(l.max);
}
