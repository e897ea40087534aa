// Generated-code shape and fuel accounting of compiled C: however a loop is lowered, fuel stays
// exactly one unit per iteration of a loop with a condition, one per back-edge taken of a loop
// without one (and one per call).

import assert from "node:assert/strict";
import { test } from "node:test";
import { compile } from "../../cc/compile.ts";
import { STACK_FLOOR } from "../../cc/module.ts";
import { validateWasm } from "../helpers/validate.ts";

interface Built {
  call(name: string, ...args: number[]): number;
  fuel: WebAssembly.Global;
  memory: WebAssembly.Memory;
  text: string;
}

async function build(source: string, fuel = true): Promise<Built> {
  const result = compile(source, { fuel });
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.diagnostics));
  const m = result.module;
  await validateWasm(m.wasm);
  const memory = new WebAssembly.Memory({ initial: 4 });
  const fuelGlobal = new WebAssembly.Global({ value: "i32", mutable: true }, 1e9);
  const env = {
    memory,
    fuel: fuelGlobal,
    fuel_reserve: new WebAssembly.Global({ value: "f64", mutable: true }, 0),
    __stack_pointer: new WebAssembly.Global({ value: "i32", mutable: true }, 65536),
    __memory_base: new WebAssembly.Global({ value: "i32", mutable: false }, STACK_FLOOR * 80),
    __table_base: new WebAssembly.Global({ value: "i32", mutable: false }, 0),
    __indirect_function_table: new WebAssembly.Table({ element: "anyfunc", initial: 8 }),
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(m.wasm), { env } as never);
  const exports = instance.exports as Record<string, (...a: number[]) => number>;
  const wabt = await (await import("wabt")).default();
  const wat = wabt.readWasm(m.wasm, { readDebugNames: true });
  wat.generateNames(); // functions named after their exports: "(func $name"
  wat.applyNames();
  const text = wat.toText({});
  return { call: (name, ...args) => exports[name]!(...args), fuel: fuelGlobal, memory, text };
}

/** Runs `name(args)` with `budget` fuel; returns [result, fuel used] or "trap". */
function metered(b: Built, budget: number, name: string, ...args: number[]) {
  b.fuel.value = budget;
  try {
    const r = b.call(name, ...args);
    return [r, budget - (b.fuel.value as number)] as const;
  } catch (e) {
    assert.ok(e instanceof WebAssembly.RuntimeError, String(e));
    return "trap" as const;
  }
}

test("fuel: exact charges for every loop shape", async () => {
  const b = await build(`
    int w(int n) { int i = 0; while (i < n) i++; return i; }
    int d(int n) { int i = 0; do i++; while (i < n); return i; }
    int inf(int n) { int i = 0; for (;;) { if (i == n) break; i++; } return i; }
    int cont(int n) { int s = 0, i = 0; while (i < n) { i++; if (i & 1) continue; s += i; } return s; }
    int ret(int n) { int i = 0; for (;;) { if (i >= n) return i; i++; } }
    int sw(int n) {
      int pc = 0, acc = 0;
      for (;;) {
        switch (pc % 3) {
          case 0: acc += 1; break;
          case 1: acc += 2; break;
          default: if (pc >= n) return acc; break;
        }
        pc++;
      }
    }
    int nest(int n) { int c = 0; int i = 0; while (i < n) { int j = 0; while (j < i) { j++; c++; } i++; } return c; }
    int back(int n) { int i = 0; again: i++; if (i < n) goto again; return i; }`);
  // A loop with a condition is charged per iteration, one without per back-edge taken.
  assert.deepEqual(metered(b, 1000, "w", 10), [10, 10]);
  assert.deepEqual(metered(b, 1000, "w", 0), [0, 0]);
  assert.deepEqual(metered(b, 1000, "d", 10), [10, 10]);
  assert.deepEqual(metered(b, 1000, "d", 0), [1, 1]);
  assert.deepEqual(metered(b, 1000, "inf", 10), [10, 10]);
  assert.deepEqual(metered(b, 1000, "inf", 0), [0, 0]);
  assert.deepEqual(metered(b, 1000, "cont", 10), [30, 10]);
  assert.deepEqual(metered(b, 1000, "ret", 7), [7, 7]);
  assert.deepEqual(metered(b, 1000, "sw", 8), [9, 8]);
  assert.deepEqual(metered(b, 1000, "nest", 5), [10, 5 + 10]);
  assert.deepEqual(metered(b, 1000, "back", 5), [5, 4]);
  // Exactly the budget runs; one unit less traps, leaving a negative counter.
  assert.deepEqual(metered(b, 10, "w", 10), [10, 10]);
  assert.equal(metered(b, 9, "w", 10), "trap");
  assert.ok((b.fuel.value as number) < 0);
  assert.deepEqual(metered(b, 10, "inf", 10), [10, 10]);
  assert.equal(metered(b, 9, "inf", 10), "trap");
  assert.equal(metered(b, 7, "sw", 8), "trap");
  // A full budget must not wrap into a false trap; an empty one stops the first iteration.
  assert.deepEqual(metered(b, 0x7fffffff, "inf", 3), [3, 3]);
  assert.deepEqual(metered(b, 0, "inf", 0), [0, 0]);
  assert.equal(metered(b, 0, "w", 1), "trap");
  assert.deepEqual(metered(b, 1, "w", 1), [1, 1]);
});

test("division by constants: multiply-and-shift quotients and remainders are exact", async () => {
  const divisors = [3, 5, 6, 7, 9, 10, 11, 13, 25, 100, 641, 1000, 6700417, 0x7fffffff];
  const unsignedOnly = [0x80000001, 0xfffffffe, 0xffffffff];
  const negative = [-3, -7, -10];
  const fns: string[] = [];
  for (const d of [...divisors, ...unsignedOnly]) {
    fns.push(`unsigned ud${d}(unsigned x) { return x / ${d}u; }`);
    fns.push(`unsigned um${d}(unsigned x) { return x % ${d}u; }`);
  }
  for (const d of [...divisors, ...negative]) {
    const name = d < 0 ? `n${-d}` : `${d}`;
    fns.push(`int sd${name}(int x) { return x / ${d}; }`);
    fns.push(`int sm${name}(int x) { return x % ${d}; }`);
  }
  const b = await build(fns.join("\n"), false);
  assert.match(b.text, /i64\.mul/, "constant divisions become multiplications");
  const xs = [0, 1, 2, 3, 8, 9, 10, 99, 100, 101, 65535, 0x7ffffffe, 0x7fffffff];
  xs.push(0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 6700417 * 641, 6700417 * 641 - 1);
  let seed = 12345;
  for (let i = 0; i < 300; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    xs.push(seed, seed >>> (seed & 31));
  }
  for (const d of [...divisors, ...unsignedOnly]) {
    for (const x of xs) {
      const ux = x >>> 0;
      assert.equal(b.call(`ud${d}`, ux) >>> 0, Math.floor(ux / d), `${ux} / ${d}u`);
      assert.equal(b.call(`um${d}`, ux) >>> 0, ux % d, `${ux} % ${d}u`);
    }
  }
  for (const d of [...divisors, ...negative]) {
    const name = d < 0 ? `n${-d}` : `${d}`;
    for (const x of xs) {
      const sx = x | 0;
      assert.equal(b.call(`sd${name}`, sx), Math.trunc(sx / d) | 0, `${sx} / ${d}`);
      assert.equal(b.call(`sm${name}`, sx), (sx % d) | 0, `${sx} % ${d}`);
    }
  }
});

test("fuel: while loops stepping a pointer or index in their body are charged on entry", async () => {
  const b = await build(`
    int ptr(const unsigned char *p, const unsigned char *end) {
      int s = 0; while (p < end) { s += *p; p += 3; } return s; }
    int dist(const unsigned char *p, const unsigned char *end) {
      int n = 0; while (end - p >= 12) { p += 12; n += p[-1]; } return n; }
    int wide(const int *a, const int *b) { int n = 0; while (b - a > 2) { n += *a; a += 3; } return n; }
    int idx(int i, int n) { int c = 0; while (i < n) { c += i; i += 2; c ^= i; } return c; }
    int skip(int i, int n) { int c = 0; while (i < n) { if (i == 4) { i += 5; continue; } i++; c++; } return c; }
    int spin(unsigned p, unsigned end) {
      int n = 0; while ((const char *)p < (const char *)end) { n++; p = (unsigned)((const char *)p + 4); }
      return n; }
    int spinp(const char *p, const char *end) { int n = 0; while (p < end) { n++; p += 4; } return n; }`);
  const loopOf = (name: string) => {
    const body = b.text.split("(func ").find((f) => f.startsWith(`$${name} `));
    assert.ok(body, `function ${name} in the module text`);
    return body;
  };
  for (const name of ["ptr", "dist", "wide", "idx"]) {
    const body = loopOf(name);
    assert.doesNotMatch(
      body.slice(body.indexOf("loop")),
      /i32\.lt_s\s+if/,
      `${name}: no per-iteration check`,
    );
  }
  const bytes = new Uint8Array(b.memory.buffer);
  for (let i = 0; i < 64; i++) bytes[4096 + i] = i + 1;
  // ptr: elements at 0, 3, 6, ... below the distance: ceil(d / 3) iterations
  for (const d of [0, 1, 2, 3, 4, 5, 6, 30, 31]) {
    const n = Math.ceil(d / 3);
    let s = 0;
    for (let k = 0; k < n; k++) s += 3 * k + 1;
    assert.deepEqual(metered(b, 1000, "ptr", 4096, 4096 + d), [s, n], `ptr d=${d}`);
    if (n > 0) assert.equal(metered(b, n - 1, "ptr", 4096, 4096 + d), "trap");
  }
  for (const d of [0, 11, 12, 13, 23, 24, 60]) {
    const n = d >= 12 ? Math.floor((d - 12) / 12) + 1 : 0;
    let s = 0;
    for (let k = 1; k <= n; k++) s += 12 * k;
    assert.deepEqual(metered(b, 1000, "dist", 4096, 4096 + d), [s, n], `dist d=${d}`);
  }
  for (const d of [0, 2, 3, 5, 6, 9, 10]) {
    const n = d > 2 ? Math.floor((d - 3) / 3) + 1 : 0;
    const r = metered(b, 1000, "wide", 4096, 4096 + 4 * d);
    assert.notEqual(r, "trap");
    assert.equal((r as readonly number[])[1], n, `wide d=${d}`);
  }
  assert.deepEqual(metered(b, 1000, "idx", 3, 10), [40, 4]);
  assert.deepEqual(metered(b, 1000, "skip", 0, 12), [7, 8]);
  // Pointers that wrap around past the bound never stop: fuel must stop them.
  assert.equal(metered(b, 100000, "spinp", 0xfffffff0, 0xfffffffe), "trap");
  assert.equal(metered(b, 100000, "spin", 0xfffffff0, 0xfffffffe), "trap");
  assert.deepEqual(metered(b, 1000, "spinp", 0xfffffff0, 0xfffffffc), [3, 3]);
});

test("inlining: straight-line helpers with locals are expanded, not called per pixel", async () => {
  const b = await build(`
    static unsigned char luma(unsigned r, unsigned g, unsigned b) {
      unsigned r9 = r + (r << 3), r5 = r + (r << 2);
      unsigned g5 = g + (g << 2);
      unsigned g25 = g5 + (g5 << 2);
      unsigned g75 = g25 + (g25 << 1);
      unsigned b3 = b + (b << 1);
      if (r > 255 || g > 255 || b > 255) return 0;
      return (unsigned char)((r5 + (r9 << 3) + (g75 << 1) + (b << 5) - b3 + 128) >> 8);
    }
    int gray(const unsigned char *p, unsigned char *q, int n) {
      for (int i = 0; i < n; i++) q[i] = luma(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
      return n;
    }`);
  const funcs = b.text.split("(func ").filter((f) => /^\$\S+ \(type/.test(f));
  assert.deepEqual(
    funcs.map((f) => f.slice(0, f.indexOf(" "))),
    ["$gray", "$gray$entry"],
    "luma is expanded, not emitted",
  );
  assert.doesNotMatch(funcs[0]!, /\bcall\b/);
  const bytes = new Uint8Array(b.memory.buffer);
  const rgb = [0, 0, 0, 255, 255, 255, 10, 200, 30, 90, 60, 250];
  bytes.set(rgb, 4096);
  b.call("gray", 4096, 8192, 4);
  for (let i = 0; i < 4; i++) {
    const [r, g, bl] = rgb.slice(3 * i, 3 * i + 3) as [number, number, number];
    assert.equal(bytes[8192 + i], (77 * r + 150 * g + 29 * bl + 128) >> 8);
  }
});
