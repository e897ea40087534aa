// The bounds probe: a rewrite of a module that checks every load and store against the
// memory's current size before it runs and, when it would trap, records which access it was
// (effective address, size, read or write, and the original module's code offset of the
// instruction) in three exported globals, then traps with `unreachable`.
//
// Why: V8 traps an out-of-bounds access without saying its address. The kernel replays the
// faulting call deterministically with the probed build of the same modules (kernel/
// fault-replay.ts) to recover it, so normal runs pay nothing. The probed module is only ever
// run for such a replay.
//
// What stays: function, type, table, memory and global indices (the globals are appended after
// the module's own), locals (scratch locals are appended), every other instruction byte for
// byte, and therefore the fuel a run spends and the faults other than out-of-bounds. What
// changes: code offsets (so the probe records the original offset of each access, which the
// replay compares with the original fault's before trusting the address) and the exports
// (three more, PROBE_EXPORTS).
//
// The check of `T.loadN offset=o` on address a is `u64(a) + o + N > memory.size << 16`, in
// i64 so that a + o cannot wrap; stores check the same with their value set aside. Bulk
// instructions (memory.copy, memory.fill) are not probed: their reports keep no address.

import { decodeModule, forEachInstruction, Reader } from "./decoder.ts";
import { ByteWriter, CodeWriter } from "./encoder.ts";
import { assemble, sectionPayloads } from "./instrument.ts";
import { Op, Section, type ValType, ValTypeCode } from "./opcodes.ts";

/** The exported globals a probed module records a failed access in. */
export const PROBE_EXPORTS = {
  /** i32: the original module's code offset of the access; -1 while none failed. */
  site: "kplug.probe.site",
  /** i64: the effective address (address operand + static offset; may exceed 2^32). */
  address: "kplug.probe.address",
  /** i32: bytes accessed, plus PROBE_WRITE for a store. */
  access: "kplug.probe.access",
} as const;

/** Flag of the `access` global: the access was a store. */
export const PROBE_WRITE = 0x10000;

/** A failed access as a probed instance recorded it. */
export interface ProbeRecord {
  /** Module-relative code offset of the load or store in the original module. */
  site: number;
  address: number;
  size: number;
  write: boolean;
}

/** Bytes accessed and the stored value's type, by load/store opcode (0x28..0x3e). */
const ACCESS: Record<number, { size: number; store?: ValType }> = {
  40: { size: 4 },
  41: { size: 8 },
  42: { size: 4 },
  43: { size: 8 },
  44: { size: 1 },
  45: { size: 1 },
  46: { size: 2 },
  47: { size: 2 },
  48: { size: 1 },
  49: { size: 1 },
  50: { size: 2 },
  51: { size: 2 },
  52: { size: 4 },
  53: { size: 4 },
  54: { size: 4, store: "i32" },
  55: { size: 8, store: "i64" },
  56: { size: 4, store: "f32" },
  57: { size: 8, store: "f64" },
  58: { size: 1, store: "i32" },
  59: { size: 2, store: "i32" },
  60: { size: 1, store: "i64" },
  61: { size: 2, store: "i64" },
  62: { size: 4, store: "i64" },
};

/** Scratch locals appended to every function: the address, then a value of each type. */
const SCRATCH: readonly ValType[] = ["i32", "i32", "i64", "f32", "f64"];

/**
 * The probed build of `wasm` (a module with one memory, defined or imported). A module without
 * memory is returned as it is.
 */
export function probeBounds(wasm: Uint8Array): Uint8Array<ArrayBuffer> {
  const m = decodeModule(wasm);
  const importedGlobals = m.imports.filter((i) => i.kind === "global").length;
  const hasMemory = m.memories.length > 0 || m.imports.some((i) => i.kind === "memory");
  if (!hasMemory) return new Uint8Array(wasm) as Uint8Array<ArrayBuffer>;
  const types = m.functions.map((t) => m.types[t]!);
  const g = importedGlobals + m.globals.length;
  const globals = { site: g, address: g + 1, access: g + 2 };

  const original = sectionPayloads(wasm);
  const out = new Map<number, Uint8Array>();

  // Globals: the module's own entries verbatim, then the three probe globals.
  {
    const w = new ByteWriter(64);
    w.u32(m.globals.length + 3);
    const payload = original.get(Section.global);
    if (payload) {
      const r = new Reader(payload, 0, payload.length);
      r.u32();
      w.raw(r.take(r.end - r.pos));
    }
    const global = (type: ValType, init: () => void) => {
      w.byte(ValTypeCode[type]);
      w.byte(1);
      init();
      w.byte(Op.end);
    };
    global("i32", () => {
      w.byte(Op.i32_const);
      w.s32(-1);
    });
    global("i64", () => {
      w.byte(Op.i64_const);
      w.s64(0n);
    });
    global("i32", () => {
      w.byte(Op.i32_const);
      w.s32(0);
    });
    out.set(Section.global, w.finish());
  }

  // Exports: the module's, then the probe globals.
  {
    const w = new ByteWriter(128);
    w.u32(m.exports.length + 3);
    const payload = original.get(Section.export);
    if (payload) {
      const r = new Reader(payload, 0, payload.length);
      r.u32();
      w.raw(r.take(r.end - r.pos));
    }
    for (const [key, name] of Object.entries(PROBE_EXPORTS)) {
      w.name(name);
      w.byte(3);
      w.u32(globals[key as keyof typeof globals]);
    }
    out.set(Section.export, w.finish());
  }

  // Code: each body with its accesses checked.
  {
    const w = new ByteWriter(wasm.length * 2);
    w.u32(m.code.length);
    m.code.forEach((code, i) => {
      const params = types[i]?.params.length ?? 0;
      const locals = [...code.locals, ...SCRATCH];
      const first = params + code.locals.length;
      const scratch = {
        address: first,
        i32: first + 1,
        i64: first + 2,
        f32: first + 3,
        f64: first + 4,
      };
      const bodyStart = code.body.byteOffset - wasm.byteOffset;
      const body = probeBody(code.body, bodyStart, scratch, globals);
      const c = new ByteWriter(body.length + 16);
      let groups = 0;
      for (let k = 0; k < locals.length; k++) if (k === 0 || locals[k] !== locals[k - 1]) groups++;
      c.u32(groups);
      for (let k = 0; k < locals.length; ) {
        let j = k + 1;
        while (j < locals.length && locals[j] === locals[k]) j++;
        c.u32(j - k);
        c.byte(ValTypeCode[locals[k]!]);
        k = j;
      }
      c.raw(body);
      w.sized(c);
    });
    out.set(Section.code, w.finish());
  }
  return assemble(wasm, out, undefined);
}

/** One body with a check before each load and store (see the header). */
function probeBody(
  body: Uint8Array,
  bodyStart: number,
  scratch: { address: number } & Record<"i32" | "i64" | "f32" | "f64", number>,
  globals: { site: number; address: number; access: number },
): Uint8Array {
  const w = new CodeWriter(body.length * 4 + 64);
  let copied = 0;
  forEachInstruction(body, (ins) => {
    const access = ins.opcode >= 0x28 && ins.opcode <= 0x3e ? ACCESS[ins.opcode] : undefined;
    if (!access) return;
    w.raw(body.subarray(copied, ins.offset));
    copied = ins.offset;
    const offset = BigInt(ins.memOffset ?? 0);
    if (access.store) w.localSet(scratch[access.store as "i32" | "i64" | "f32" | "f64"]);
    w.localSet(scratch.address);
    // if (u64(a) + offset + size > memory.size << 16) { record; unreachable }
    w.localGet(scratch.address)
      .op("i64_extend_i32_u")
      .i64Const(offset + BigInt(access.size));
    w.op("i64_add").memorySize().op("i64_extend_i32_u").i64Const(16n).op("i64_shl");
    w.op("i64_gt_u").if();
    w.localGet(scratch.address).op("i64_extend_i32_u").i64Const(offset).op("i64_add");
    w.globalSet(globals.address);
    w.i32Const(access.size | (access.store ? PROBE_WRITE : 0)).globalSet(globals.access);
    w.i32Const(bodyStart + ins.offset).globalSet(globals.site);
    w.op("unreachable").end();
    w.localGet(scratch.address);
    if (access.store) w.localGet(scratch[access.store as "i32" | "i64" | "f32" | "f64"]);
    // The access itself, byte for byte.
  });
  w.raw(body.subarray(copied));
  return w.finish();
}

/** What a probed instance recorded, or undefined when no access failed (then cleared). */
export function takeProbeRecord(exports: WebAssembly.Exports): ProbeRecord | undefined {
  const site = exports[PROBE_EXPORTS.site];
  if (!(site instanceof WebAssembly.Global) || site.value === -1) return undefined;
  const address = exports[PROBE_EXPORTS.address] as WebAssembly.Global;
  const access = (exports[PROBE_EXPORTS.access] as WebAssembly.Global).value as number;
  const record = {
    site: site.value as number,
    address: Number(address.value as bigint),
    size: access & 0xffff,
    write: (access & PROBE_WRITE) !== 0,
  };
  site.value = -1;
  return record;
}
