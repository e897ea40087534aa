// Wasm plugins for the Extism JS SDK, built with kplug's own encoder. Extism plugins exchange
// data through the host's "extism:host/env" kernel functions (input_load_*, alloc, store_*,
// output_set), exactly as its PDKs do: arguments come in as input bytes and results go out as
// output bytes. That copying is part of Extism's calling convention, so it is part of its cost.

import { CodeWriter, ModuleBuilder } from "../../wasm/encoder.ts";

const ENV = "extism:host/env";

function importKernel(m: ModuleBuilder) {
  return {
    inputLength: m.importFunction(ENV, "input_length", { params: [], results: ["i64"] }),
    inputLoadU64: m.importFunction(ENV, "input_load_u64", { params: ["i64"], results: ["i64"] }),
    inputLoadU8: m.importFunction(ENV, "input_load_u8", { params: ["i64"], results: ["i32"] }),
    alloc: m.importFunction(ENV, "alloc", { params: ["i64"], results: ["i64"] }),
    storeU64: m.importFunction(ENV, "store_u64", { params: ["i64", "i64"], results: [] }),
    storeU8: m.importFunction(ENV, "store_u8", { params: ["i64", "i32"], results: [] }),
    outputSet: m.importFunction(ENV, "output_set", { params: ["i64", "i64"], results: [] }),
  };
}

/**
 * `sum`: reads its input as little-endian int32 arguments (padded to 8 bytes) and outputs
 * their sum as one int32: the Extism rendering of `int f(int a, ..., int f)`.
 */
export function extismSumModule(): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  const k = importKernel(m);
  m.addMemory({ min: 1 });
  m.exportMemory("memory");
  const [LEN, I, ACC, W, OUT] = [0, 1, 2, 3, 4];
  const c = new CodeWriter();
  c.call(k.inputLength).localSet(LEN);
  c.i64Const(0n).localSet(I);
  c.i32Const(0).localSet(ACC);
  c.block().loop();
  c.localGet(I).localGet(LEN).op("i64_ge_u").brIf(1);
  c.localGet(I).call(k.inputLoadU64).localSet(W);
  c.localGet(ACC).localGet(W).op("i32_wrap_i64").op("i32_add");
  c.localGet(W).i64Const(32n).op("i64_shr_u").op("i32_wrap_i64").op("i32_add").localSet(ACC);
  c.localGet(I).i64Const(8n).op("i64_add").localSet(I);
  c.br(0).end().end();
  c.i64Const(8n).call(k.alloc).localSet(OUT);
  c.localGet(OUT).localGet(ACC).op("i64_extend_i32_u").call(k.storeU64);
  c.localGet(OUT).i64Const(4n).call(k.outputSet);
  c.i32Const(0);
  const f = m.addFunction({ params: [], results: ["i32"] }, ["i64", "i64", "i32", "i64", "i64"], c);
  m.exportFunction("sum", f);
  return m.encode();
}

/**
 * `grayscale`: input is packed RGB, output one BT.601 luma byte per pixel (the same fixed-point
 * formula as plugins/grayscale.c). Copies the input into linear memory 8 bytes per kernel call,
 * converts, and copies the result out the same way, as an Extism PDK plugin does.
 */
export function extismGrayscaleModule(maxInputBytes: number): Uint8Array<ArrayBuffer> {
  const m = new ModuleBuilder();
  const k = importKernel(m);
  const pages = Math.ceil((maxInputBytes + maxInputBytes / 3 + 64) / 65536);
  m.addMemory({ min: pages, max: pages });
  m.exportMemory("memory");
  const [LEN, I, NPIX, P, Q, END, OUT, J, OB] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const c = new CodeWriter();
  c.call(k.inputLength).localSet(LEN);
  // Copy in: 8 bytes per call, then the tail byte by byte.
  c.i64Const(0n).localSet(I);
  c.block().loop();
  c.localGet(I).i64Const(8n).op("i64_add").localGet(LEN).op("i64_gt_u").brIf(1);
  c.localGet(I).op("i32_wrap_i64").localGet(I).call(k.inputLoadU64).mem("i64_store", 3);
  c.localGet(I).i64Const(8n).op("i64_add").localSet(I);
  c.br(0).end().end();
  c.block().loop();
  c.localGet(I).localGet(LEN).op("i64_ge_u").brIf(1);
  c.localGet(I).op("i32_wrap_i64").localGet(I).call(k.inputLoadU8).mem("i32_store8", 0);
  c.localGet(I).i64Const(1n).op("i64_add").localSet(I);
  c.br(0).end().end();
  // Convert.
  c.localGet(LEN).op("i32_wrap_i64").i32Const(3).op("i32_div_u").localSet(NPIX);
  c.localGet(LEN).op("i32_wrap_i64").i32Const(7).op("i32_add").i32Const(-8).op("i32_and");
  c.localTee(OB).localSet(Q);
  c.i32Const(0).localSet(P);
  c.localGet(NPIX).i32Const(3).op("i32_mul").localSet(END);
  c.block().loop();
  c.localGet(P).localGet(END).op("i32_ge_u").brIf(1);
  c.localGet(Q);
  c.localGet(P).mem("i32_load8_u", 0, 0).i32Const(77).op("i32_mul");
  c.localGet(P).mem("i32_load8_u", 0, 1).i32Const(150).op("i32_mul").op("i32_add");
  c.localGet(P).mem("i32_load8_u", 0, 2).i32Const(29).op("i32_mul").op("i32_add");
  c.i32Const(128).op("i32_add").i32Const(8).op("i32_shr_u").mem("i32_store8", 0);
  c.localGet(P).i32Const(3).op("i32_add").localSet(P);
  c.localGet(Q).i32Const(1).op("i32_add").localSet(Q);
  c.br(0).end().end();
  // Copy out.
  c.localGet(NPIX).op("i64_extend_i32_u").call(k.alloc).localSet(OUT);
  c.i32Const(0).localSet(J);
  c.block().loop();
  c.localGet(J).i32Const(8).op("i32_add").localGet(NPIX).op("i32_gt_u").brIf(1);
  c.localGet(OUT).localGet(J).op("i64_extend_i32_u").op("i64_add");
  c.localGet(OB).localGet(J).op("i32_add").mem("i64_load", 3).call(k.storeU64);
  c.localGet(J).i32Const(8).op("i32_add").localSet(J);
  c.br(0).end().end();
  c.block().loop();
  c.localGet(J).localGet(NPIX).op("i32_ge_u").brIf(1);
  c.localGet(OUT).localGet(J).op("i64_extend_i32_u").op("i64_add");
  c.localGet(OB).localGet(J).op("i32_add").mem("i32_load8_u", 0).call(k.storeU8);
  c.localGet(J).i32Const(1).op("i32_add").localSet(J);
  c.br(0).end().end();
  c.localGet(OUT).localGet(NPIX).op("i64_extend_i32_u").call(k.outputSet);
  c.i32Const(0);
  const locals = ["i64", "i64", "i32", "i32", "i32", "i32", "i64", "i32", "i32"] as const;
  const f = m.addFunction({ params: [], results: ["i32"] }, locals, c);
  m.exportFunction("grayscale", f);
  return m.encode();
}
