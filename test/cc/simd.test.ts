// <wasm_simd128.h>: the committed header matches its generator, SIMD code is valid, printable
// and metered like scalar code (one unit of fuel per loop iteration), and misuse is a
// diagnostic. Results are checked against gcc by test/programs/simd_*.c (differential test).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compile } from "../../cc/compile.ts";
import { STACK_FLOOR } from "../../cc/module.ts";
import { simdHeaderText } from "../../cc/simd-header.ts";
import { decodeInstructions, decodeModule } from "../../wasm/decoder.ts";
import { toWat } from "../../wasm/wat.ts";
import { validateWasm } from "../helpers/validate.ts";

const ROOT = join(import.meta.dirname, "..", "..");

function build(source: string) {
  const result = compile(source, { fuel: true });
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.diagnostics));
  const wasm = result.module.wasm;
  const memory = new WebAssembly.Memory({ initial: 4 });
  const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, 1e9);
  const env = {
    memory,
    fuel,
    fuel_reserve: new WebAssembly.Global({ value: "f64", mutable: true }, 0),
    __stack_pointer: new WebAssembly.Global({ value: "i32", mutable: true }, 65536),
    __memory_base: new WebAssembly.Global({ value: "i32", mutable: false }, STACK_FLOOR * 80),
    __table_base: new WebAssembly.Global({ value: "i32", mutable: false }, 0),
    __indirect_function_table: new WebAssembly.Table({ element: "anyfunc", initial: 8 }),
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env } as never);
  const exports = instance.exports as Record<string, (...a: number[]) => number>;
  return { wasm, memory, fuel, call: (name: string, ...args: number[]) => exports[name]!(...args) };
}

function errors(source: string): string[] {
  const result = compile(source, {});
  return result.ok ? [] : result.diagnostics.map((d) => d.message);
}

const ADD_ROWS = `#include <wasm_simd128.h>
void add_rows(uint8_t *dst, const uint8_t *a, const uint8_t *b, int n) {
  int i = 0;
  for (; i + 16 <= n; i += 16)
    wasm_v128_store(dst + i, wasm_u8x16_add_sat(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  for (; i < n; i++) dst[i] = (uint8_t)(a[i] + b[i] > 255 ? 255 : a[i] + b[i]);
}`;

test("include/wasm_simd128.h is what scripts/gen-simd-header.ts generates", () => {
  const committed = readFileSync(join(ROOT, "include", "wasm_simd128.h"), "utf8");
  assert.equal(committed, simdHeaderText());
});

test("SIMD code validates, decodes and prints, and matches scalar code on edge sizes", async () => {
  const m = build(ADD_ROWS);
  await validateWasm(m.wasm);
  const wat = toWat(m.wasm);
  assert.match(wat, /v128\.load/);
  assert.match(wat, /i8x16\.add_sat_u/);
  assert.match(wat, /v128\.store/);
  const code = decodeModule(m.wasm).code;
  assert.ok(code.some((c) => decodeInstructions(c.body).some((i) => i.opcode === 0xfd)));
  const bytes = new Uint8Array(m.memory.buffer);
  for (const n of [0, 1, 15, 16, 17, 31, 33, 100]) {
    const a = 4096,
      b = 8192,
      d = 12288;
    for (let i = 0; i < 128; i++) {
      bytes[a + i] = (i * 37) & 255;
      bytes[b + i] = (i * 91 + 7) & 255;
      bytes[d + i] = 0xee;
    }
    m.call("add_rows", d, a, b, n);
    for (let i = 0; i < 128; i++) {
      const want = i < n ? Math.min(255, bytes[a + i]! + bytes[b + i]!) : 0xee;
      assert.equal(bytes[d + i], want, `n=${n} i=${i}`);
    }
  }
});

test("a SIMD loop is charged fuel per iteration like a scalar one", () => {
  const m = build(ADD_ROWS);
  const used = (n: number) => {
    m.fuel.value = 1e9;
    m.call("add_rows", 12288, 4096, 8192, n);
    return 1e9 - m.fuel.value;
  };
  // 16 more bytes: one more trip of the vector loop, nothing else.
  assert.equal(used(48) - used(32), 1);
  assert.ok(used(0) >= 0);
});

test("v128_t constants, lanes and shuffles", () => {
  const m = build(`#include <wasm_simd128.h>
    int lanes(int x) {
      v128_t v = wasm_i32x4_make(x, 2, 3, 4);
      v128_t c = wasm_i16x8_const(1, 2, 3, 4, 5, 6, 7, -8);
      v128_t s = wasm_i32x4_shuffle(v, c, 3, 0, 7, 5);
      v = wasm_i32x4_replace_lane(s, 2, wasm_i32x4_extract_lane(v, 0) * 10);
      return wasm_i32x4_extract_lane(v, 0) + wasm_i32x4_extract_lane(v, 1) * 100 +
             wasm_i32x4_extract_lane(v, 2) * 1000 + wasm_i16x8_extract_lane(c, 7);
    }`);
  assert.equal(m.call("lanes", 9), 4 + 900 + 90000 - 8);
});

test("misuse of v128_t and of lane indices is a diagnostic", () => {
  const pre = "#include <wasm_simd128.h>\n";
  assert.ok(
    errors(`${pre}int f(v128_t a, int i) { return wasm_i32x4_extract_lane(a, i); }`).some((e) =>
      /lane index of 'wasm_i32x4_extract_lane' must be an integer constant/.test(e),
    ),
  );
  assert.ok(
    errors(`${pre}int f(v128_t a) { return wasm_i32x4_extract_lane(a, 4); }`).some((e) =>
      /out of range 0..3/.test(e),
    ),
  );
  assert.ok(errors(`${pre}v128_t f(v128_t a, v128_t b) { return a + b; }`).length > 0);
  assert.ok(errors(`${pre}int f(v128_t a) { return a; }`).length > 0);
  assert.ok(
    errors(`${pre}v128_t f(int x) { return wasm_i32x4_const(x, 1, 2, 3); }`).some((e) =>
      /must be constants/.test(e),
    ),
  );
});
