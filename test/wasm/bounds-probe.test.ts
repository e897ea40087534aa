// The bounds probe (wasm/bounds-probe.ts): a probed module behaves as the original while its
// accesses are in bounds, and records the access that would have trapped (its effective
// address, size, direction and the original module's code offset) before trapping.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CodeWriter,
  decodeInstructions,
  decodeModule,
  ModuleBuilder,
  probeBounds,
  takeProbeRecord,
} from "../../wasm/index.ts";

/** load(a) = i32.load offset=8 (a) + 1; store(a, v): i64.store16 offset=3 (a) = v; 1 page. */
function module(): Uint8Array<ArrayBuffer> {
  const b = new ModuleBuilder();
  b.addMemory({ min: 1 });
  b.addGlobal("i32", true, { i32: 7 });
  const load = new CodeWriter();
  load.localGet(0).mem("i32_load", 2, 8).i32Const(1).op("i32_add");
  b.exportFunction("load", b.addFunction({ params: ["i32"], results: ["i32"] }, [], load));
  const store = new CodeWriter();
  store.localGet(0).localGet(1).mem("i64_store16", 1, 3);
  b.exportFunction("store", b.addFunction({ params: ["i32", "i64"], results: [] }, [], store));
  b.exportMemory("memory");
  return b.encode();
}

/** Module-relative offsets of the loads and stores of the original module. */
function accessOffsets(wasm: Uint8Array): number[] {
  const out: number[] = [];
  for (const c of decodeModule(wasm).code) {
    const start = c.body.byteOffset - wasm.byteOffset;
    for (const ins of decodeInstructions(c.body))
      if (/\.(load|store)/.test(ins.name)) out.push(start + ins.offset);
  }
  return out;
}

test("in bounds, the probed module computes what the original does", () => {
  const wasm = module();
  const plain = new WebAssembly.Instance(new WebAssembly.Module(wasm)).exports;
  const probed = new WebAssembly.Instance(new WebAssembly.Module(probeBounds(wasm))).exports;
  for (const e of [plain, probed]) {
    (e.store as (a: number, v: bigint) => void)(100, 0x1234n);
    assert.equal((e.load as (a: number) => number)(95), 0x1234 + 1);
    assert.equal((e.load as (a: number) => number)(65536 - 12), 1);
  }
  assert.equal(takeProbeRecord(probed), undefined);
});

test("an access past the end is recorded with its effective address, size and site", () => {
  const wasm = module();
  const [loadAt, storeAt] = accessOffsets(wasm);
  const e = new WebAssembly.Instance(new WebAssembly.Module(probeBounds(wasm))).exports;
  const load = e.load as (a: number) => number;
  const store = e.store as (a: number, v: bigint) => void;
  assert.throws(() => load(65536 - 11), WebAssembly.RuntimeError);
  assert.deepEqual(takeProbeRecord(e), { site: loadAt, address: 65536 - 3, size: 4, write: false });
  // A negative int pointer is a huge unsigned address: address + offset does not wrap.
  assert.throws(() => load(-4), WebAssembly.RuntimeError);
  assert.deepEqual(takeProbeRecord(e), {
    site: loadAt,
    address: 2 ** 32 + 4,
    size: 4,
    write: false,
  });
  assert.throws(() => store(65536 - 4, 1n), WebAssembly.RuntimeError);
  assert.deepEqual(takeProbeRecord(e), { site: storeAt, address: 65536 - 1, size: 2, write: true });
  // Taken records are cleared.
  assert.equal(takeProbeRecord(e), undefined);
});
