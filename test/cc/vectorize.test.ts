// The auto-vectoriser (cc/vectorize-plan.ts, cc/vectorize.ts): which loops run in SIMD lanes,
// and that vectorising changes nothing observable: results, fuel spent, where fuel runs out,
// and faults (out of bounds, NULL) are those of the scalar loop. Results against gcc are
// test/programs/vectorize_loops.c (differential test).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compile } from "../../cc/compile.ts";
import { STACK_FLOOR } from "../../cc/module.ts";
import { toWat } from "../../wasm/wat.ts";
import { validateWasm } from "../helpers/validate.ts";

const PAGES = 4;

function build(source: string, vectorize: boolean) {
  const result = compile(source, { fuel: true, vectorize });
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.diagnostics));
  const wasm = result.module.wasm;
  const memory = new WebAssembly.Memory({ initial: PAGES });
  const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, 1e9);
  const env = {
    memory,
    fuel,
    fuel_reserve: new WebAssembly.Global({ value: "f64", mutable: true }, 0),
    __stack_pointer: new WebAssembly.Global({ value: "i32", mutable: true }, 65536),
    __memory_base: new WebAssembly.Global({ value: "i32", mutable: false }, STACK_FLOOR * 2),
    __table_base: new WebAssembly.Global({ value: "i32", mutable: false }, 0),
    __indirect_function_table: new WebAssembly.Table({ element: "anyfunc", initial: 8 }),
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env } as never);
  const exports = instance.exports as Record<string, (...a: number[]) => number>;
  return { wasm, memory, fuel, call: (name: string, ...args: number[]) => exports[name]!(...args) };
}

/** Whether the function `name` of the module uses SIMD instructions. */
function usesSimd(wasm: Uint8Array, name: string): boolean {
  const wat = toWat(wasm);
  const start = wat.indexOf(`(func $${name} `);
  assert.ok(start >= 0, `no function ${name}`);
  const next = wat.indexOf("(func $", start + 1);
  return /i32x4|v128/.test(wat.slice(start, next < 0 ? undefined : next));
}

const VECTORISED = `
typedef unsigned char u8;
static int iabs(int v) { return v < 0 ? -v : v; }
void gray(u8 *out, const u8 *a, const u8 *b, const u8 *c, int n) {
  for (int i = 0; i < n; i++) out[i] = (a[i] * 77 + b[i] * 150 + c[i] * 29) >> 8;
}
void thr(u8 *dst, const u8 *src, int n, int t) { for (int i = 0; i < n; i++) dst[i] = src[i] > t ? 255 : 0; }
void avg3(u8 *d, const u8 *s, int n) { for (int i = 0; i < n; i++) d[i] = (s[i] + s[i + 1] + s[i + 2]) / 3; }
void sob(u8 *o, const u8 *a, const u8 *c, int w) {
  for (int x = 1; x < w - 1; x++) {
    int m = iabs(a[x + 1] - a[x - 1]) + iabs(c[x] - a[x]);
    o[x] = (u8)(m > 255 ? 255 : m);
  }
}
void ints(int *d, const short *s, int n) { for (int i = 0; i < n; i++) d[i] = s[i] * 3 - i; }
`;

test("simple counted array loops run in SIMD lanes, and not with vectorize: false", async () => {
  const on = build(VECTORISED, true);
  const off = build(VECTORISED, false);
  await validateWasm(on.wasm);
  for (const f of ["gray", "thr", "avg3", "sob", "ints"]) {
    assert.ok(usesSimd(on.wasm, f), `${f} is vectorised`);
    assert.ok(!usesSimd(off.wasm, f), `${f} is scalar with vectorize: false`);
  }
});

test("loops the vectoriser cannot prove are left alone", () => {
  const source = `
typedef unsigned char u8;
extern int g(int);
unsigned sum(const u8 *a, int n) { unsigned s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
void carried(u8 *a, int n) { for (int i = 1; i < n; i++) a[i] = a[i - 1] + 1; }
void strided(u8 *d, const u8 *s, int n) { for (int i = 0; i < n; i++) d[i] = s[5 * i]; }
void scatter(u8 *d, const u8 *s, int n) { for (int i = 0; i < n; i++) d[3 * i] = s[i]; }
void uneven(const u8 *p, u8 *q, const u8 *end) {
  while (end - p >= 6) { q[0] = p[0] + p[1]; q[1] = p[3] - p[4]; p += 6; q += 2; }
}
int readsp(const u8 *p, u8 *q, const u8 *end) {
  while (p < end) { q[0] = p[0] + (int)p; p += 3; q += 1; }
  return 0;
}
void twice(const u8 *p, u8 *q, const u8 *end) { while (p < end) { *q++ = p[1]; *q++ = p[0]; p += 2; } }
void reuse(const u8 *p, u8 *q, const u8 *end) { while (p < end) { *q++ = q[-1] + p[0]; p += 1; } }
void called(int *d, int n) { for (int i = 0; i < n; i++) d[i] = g(i); }
void floats(float *d, const float *s, int n) { for (int i = 0; i < n; i++) d[i] = s[i] * 2.0f; }
void branchy(u8 *d, const u8 *s, int n) { for (int i = 0; i < n; i++) if (s[i]) d[i] = 1; }
void wide(unsigned *d, const unsigned *s, int n) { for (int i = 0; i < n; i++) d[i] = s[i] / 10u; }
void down(u8 *d, int n) { for (int i = n; i > 0; i--) d[i] = 0; }
void escapes(u8 *d, const u8 *s, int n) { for (int i = 0; i < n; i++) { if (s[i] == 0) break; d[i] = s[i]; } }
`;
  const r = compile(source, { fuel: true });
  assert.ok(r.ok, JSON.stringify(r.ok ? [] : r.diagnostics));
  for (const f of [
    "sum",
    "carried",
    "strided",
    "scatter",
    "uneven",
    "readsp",
    "twice",
    "reuse",
    "called",
    "floats",
    "branchy",
    "wide",
    "down",
    "escapes",
  ]) {
    assert.ok(!usesSimd(r.module.wasm, f), `${f} stays scalar`);
  }
});

const INTERLEAVED = `
typedef unsigned char u8;
static u8 luma(unsigned r, unsigned g, unsigned b) { return (u8)((77 * r + 150 * g + 29 * b + 128) >> 8); }
void rgb4(const u8 *p, u8 *q, const u8 *end) {
  while (end - p >= 12) {
    q[0] = luma(p[0], p[1], p[2]);
    q[1] = luma(p[3], p[4], p[5]);
    q[2] = luma(p[6], p[7], p[8]);
    q[3] = luma(p[9], p[10], p[11]);
    p += 12;
    q += 4;
  }
}
void rgb(const u8 *p, u8 *q, const u8 *end) { while (p < end) { q[0] = luma(p[0], p[1], p[2]); p += 3; q += 1; } }
void postinc(const u8 *p, u8 *q, const u8 *end) { while (p < end) { *q++ = luma(p[0], p[1], p[2]); p += 3; } }
void rgba(const u8 *p, u8 *q, int n) { for (const u8 *end = p + 4 * n; end - p >= 4; p += 4) { *q = p[1]; q++; } }
void pairs(u8 *d, const u8 *s, int n) { for (int i = 0; i < n; i++) d[i] = (s[2 * i] + s[2 * i + 1]) >> 1; }
void rgb16(unsigned short *d, const unsigned short *s, int n) { for (int i = 0; i < n; i++) d[i] = s[3 * i + 1] - s[3 * i]; }
`;

/** Whether the function `name` de-interleaves with shuffles. */
function shuffles(wasm: Uint8Array, name: string): boolean {
  const wat = toWat(wasm);
  const start = wat.indexOf(`(func $${name} `);
  const next = wat.indexOf("(func $", start + 1);
  return wat.slice(start, next < 0 ? undefined : next).includes("i8x16.shuffle");
}

test("interleaved loads (RGB, RGBA, pairs; pointer loops, unrolled bodies) run in SIMD lanes", async () => {
  const on = build(INTERLEAVED, true);
  const off = build(INTERLEAVED, false);
  await validateWasm(on.wasm);
  for (const f of ["rgb4", "rgb", "postinc", "rgba", "pairs", "rgb16"]) {
    assert.ok(shuffles(on.wasm, f), `${f} is vectorised`);
    assert.ok(!usesSimd(off.wasm, f), `${f} is scalar with vectorize: false`);
  }
  // The plugin itself, as the benchmark compiles it: plain C, no intrinsics.
  const source = readFileSync(join(import.meta.dirname, "../../plugins/grayscale.c"), "utf8");
  for (const vectorize of [true, false]) {
    const r = compile(source, { defines: { KPLUG_NO_INTRINSICS: "1" }, vectorize });
    assert.ok(r.ok);
    assert.equal(shuffles(r.module.wasm, "grayscale"), vectorize);
  }
});

test("interleaved pointer loops: the results, fuel and faults of the scalar loop", () => {
  const on = build(INTERLEAVED, true);
  const off = build(INTERLEAVED, false);
  const memoryEnd = PAGES * 65536;
  const src = 70000;
  for (const m of [on, off]) {
    const bytes = new Uint8Array(m.memory.buffer);
    for (let i = 0; i < 4096; i++) bytes[src + i] = (i * 89 + 7) & 255;
    bytes.fill(200, memoryEnd - 300);
  }
  for (const n of [0, 1, 3, 4, 5, 15, 16, 17, 63, 64, 65, 100, 1000]) {
    for (const f of ["rgb4", "rgb", "postinc"]) {
      const out: Uint8Array[] = [];
      const spent: number[] = [];
      for (const m of [on, off]) {
        new Uint8Array(m.memory.buffer).fill(0, 80000, 82000);
        m.fuel.value = 1e9;
        m.call(f, src + 1, 80001, src + 1 + 3 * n);
        spent.push(1e9 - m.fuel.value);
        out.push(new Uint8Array(m.memory.buffer).slice(80000, 82000));
      }
      assert.deepEqual(out[0], out[1], `${f} n = ${n}`);
      assert.equal(spent[0], spent[1], `fuel spent by ${f} for n = ${n}`);
    }
  }
  const snapshots: Uint8Array[] = [];
  for (const m of [on, off]) {
    // Too little fuel for the trip count: both stop before the loop.
    m.fuel.value = 50;
    assert.throws(() => m.call("rgb4", src, 80000, src + 3000));
    assert.equal(m.fuel.value, -1);
    m.fuel.value = 1e9;
    // The source runs off the end of memory: the scalar loop stores up to the fault.
    assert.throws(
      () => m.call("rgb", memoryEnd - 300, 80000, memoryEnd + 30),
      WebAssembly.RuntimeError,
    );
    // A NULL destination faults before anything is stored.
    assert.throws(() => m.call("rgb4", src, 0, src + 300), WebAssembly.RuntimeError);
    snapshots.push(new Uint8Array(m.memory.buffer).slice());
  }
  assert.deepEqual(snapshots[0], snapshots[1]);
  assert.notEqual(snapshots[0]![80099], 0, "the scalar loop stored up to the fault");
});

const FILL = `
typedef unsigned char u8;
u8 buf[4096];
u8 *at(int off) { return buf + off; }
void avg3(u8 *d, const u8 *s, int n) { for (int i = 0; i < n; i++) d[i] = (s[i] + s[i + 1] + s[i + 2]) / 3; }
void seed(int n) { unsigned s = 7; for (int i = 0; i < n; i++) { s = s * 1103515245u + 12345u; buf[i] = (u8)(s >> 23); } }
`;

test("fuel: the same charge, and it runs out at the same point, vectorised or not", () => {
  const on = build(FILL, true);
  const off = build(FILL, false);
  assert.ok(usesSimd(on.wasm, "avg3"));
  for (const n of [0, 1, 15, 16, 17, 33, 100, 1000]) {
    const spent: number[] = [];
    for (const m of [on, off]) {
      m.call("seed", 4096);
      m.fuel.value = 1e9;
      m.call("avg3", m.call("at", 2048), m.call("at", 0), n);
      spent.push(1e9 - m.fuel.value);
    }
    assert.equal(spent[0], spent[1], `fuel spent for n = ${n}`);
  }
  // Too little fuel for the trip count: both stop before the loop, memory untouched alike.
  const snapshots: Uint8Array[] = [];
  for (const m of [on, off]) {
    m.call("seed", 4096);
    m.fuel.value = 500;
    assert.throws(() => m.call("avg3", m.call("at", 2048), m.call("at", 0), 1000));
    assert.equal(m.fuel.value, -1);
    snapshots.push(new Uint8Array(m.memory.buffer).slice());
  }
  assert.deepEqual(snapshots[0], snapshots[1]);
});

test("faults: a loop running off the end of memory or through NULL faults as the scalar loop does", () => {
  const memoryEnd = PAGES * 65536;
  const snapshots: Uint8Array[] = [];
  for (const vectorize of [true, false]) {
    const m = build(FILL, vectorize);
    m.call("seed", 4096);
    // The destination runs 40 bytes past the end: the scalar loop stores up to the last byte,
    // then traps; the vector path must not run (or it would trap earlier, storing less).
    const src = m.call("at", 0);
    assert.throws(() => m.call("avg3", memoryEnd - 60, src, 100), WebAssembly.RuntimeError);
    // NULL destination (NULL checks on): traps before storing anything.
    assert.throws(() => m.call("avg3", 0, src, 100), WebAssembly.RuntimeError);
    snapshots.push(new Uint8Array(m.memory.buffer).slice());
  }
  assert.deepEqual(snapshots[0], snapshots[1]);
  const mem = snapshots[0]!;
  assert.notEqual(mem[memoryEnd - 1], 0, "the scalar loop stored up to the end of memory");
});
