import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeInstructions, decodeModule } from "../../wasm/decoder.ts";
import { decodeDylink } from "../../wasm/dylink.ts";
import { CodeWriter, ModuleBuilder } from "../../wasm/encoder.ts";
import { instrument } from "../../wasm/instrument.ts";
import { type ImportGrant, type VerifyPolicy, verify } from "../../wasm/verify.ts";
import { validateWasm } from "../helpers/validate.ts";
import { clangWasm } from "./clang.ts";

const KERNELS = `
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int data[256];
int *buffer(void) { return data; }
void sort(int *a, int n) {
  for (int i = 1; i < n; i++) {
    int v = a[i], j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}
unsigned checksum(const unsigned char *p, int n) {
  unsigned h = 2166136261u;
  for (int i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}
void spin(void) { for (;;) __asm__ volatile(""); }
int deep(int n);
int (*volatile self)(int) = deep;
int deep(int n) { return n ? self(n - 1) + 1 : 0; }
extern int host_add(int, int);
int twice(int a) { return host_add(a, a); }
int down(int n) { return n ? down(n - 1) * 3 + 1 : 0; }
int pong(int n);
__attribute__((noinline)) int ping(int n) { return n ? pong(n - 1) * 5 + 1 : 1; }
__attribute__((noinline)) int pong(int n) { return n ? ping(n - 1) * 7 + 2 : 2; }
`;

const HOST_ADD: ImportGrant = {
  module: "env",
  name: "host_add",
  kind: "func",
  params: ["i32", "i32"],
  results: ["i32"],
};
const POLICY: VerifyPolicy = { grants: [HOST_ADD], maxMemoryPages: 256, maxTableSize: 1024 };
const BUDGET = 1_000_000_000;

// biome-ignore lint/suspicious/noExplicitAny: exports of a wasm instance.
type Exports = Record<string, any>;

/** The reserve a budget above 2^31-1 keeps beyond the i32 counter (wasm/fuel-refill.ts). */
function fuelReserve(value = 0) {
  return new WebAssembly.Global({ value: "f64", mutable: true }, value);
}

function standalone() {
  const original = clangWasm(KERNELS, "standalone");
  const { wasm, info } = instrument(verify(original, POLICY), { maxDepth: 500 });
  const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
  const reserve = fuelReserve();
  const seen: number[] = [];
  const host_add = (a: number, b: number) => {
    seen.push(fuel.value);
    return a + b;
  };
  const plain = new WebAssembly.Instance(new WebAssembly.Module(original), { env: { host_add } });
  const metered = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
    env: { host_add, fuel, fuel_reserve: reserve },
  });
  return {
    original,
    wasm,
    info,
    fuel,
    reserve,
    seen,
    plain: plain.exports as Exports,
    metered: metered.exports as Exports,
  };
}

function fillRandom(e: Exports, n: number, seed: number): number {
  const at = e.buffer() as number;
  const words = new Int32Array((e.memory as WebAssembly.Memory).buffer, at, n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    words[i] = x >> 8;
  }
  return at;
}

describe("instrument: standalone clang modules", () => {
  const s = standalone();

  test("the rewritten module is valid for wabt and describes itself", async () => {
    await validateWasm(s.wasm);
    assert.equal(s.info.kind, "standalone");
    assert.deepEqual(s.info.fuelLeft, { in: "global" });
    const names = s.info.exports.map((e) => e.name);
    for (const f of ["fib", "sort", "checksum", "spin", "deep", "twice"]) {
      assert.ok(names.includes(f), f);
      assert.equal(typeof s.metered[`${f}$entry`], "function", `${f}$entry`);
    }
    assert.deepEqual(
      s.info.exports.find((e) => e.name === "fib"),
      {
        name: "fib",
        params: ["i32"],
        results: ["i32"],
      },
    );
    // The function names survive, with the same indices.
    const before = decodeModule(s.original).customs.find((c) => c.name === "name");
    const after = decodeModule(s.wasm).customs.find((c) => c.name === "name");
    assert.ok(before && after);
  });

  test("computes what the unmetered module computes, and spends fuel doing it", () => {
    for (const n of [0, 1, 2, 10, 20]) {
      assert.equal(s.metered.fib$entry(BUDGET, n), s.plain.fib(n), `fib(${n})`);
    }
    const small = BUDGET - s.fuel.value;
    s.metered.fib$entry(BUDGET, 22);
    const large = BUDGET - s.fuel.value;
    assert.ok(small > 0 && large > small, `fib(20) used ${small}, fib(22) used ${large}`);

    const a = fillRandom(s.plain, 200, 7);
    const b = fillRandom(s.metered, 200, 7);
    s.plain.sort(a, 200);
    s.metered.sort$entry(BUDGET, b, 200);
    const sorted = new Int32Array(s.metered.memory.buffer, b, 200);
    assert.deepEqual(sorted, new Int32Array(s.plain.memory.buffer, a, 200));
    for (let i = 1; i < 200; i++) assert.ok(sorted[i - 1]! <= sorted[i]!);
    assert.equal(s.metered.checksum$entry(BUDGET, b, 800), s.plain.checksum(a, 800));
    assert.equal(s.metered.deep$entry(BUDGET, 300), s.plain.deep(300));
  });

  test("a budget beyond the i32 counter waits in the reserve and is spent exactly", () => {
    s.reserve.value = 0;
    s.metered.fib$entry(BUDGET, 22);
    const cost = BUDGET - s.fuel.value;
    // A counter of 10 and the rest (plus 2^33 more) in the reserve: the charges refill it.
    const extra = 2 ** 33;
    s.reserve.value = cost - 10 + extra;
    assert.equal(s.metered.fib$entry(10, 22), s.plain.fib(22));
    assert.equal(s.fuel.value + s.reserve.value, extra);
    // Calls to the host (the counter handed over, refilled when a call finds it empty) too.
    s.reserve.value = 0;
    s.metered.twice$entry(BUDGET, 5);
    const twiceCost = BUDGET - s.fuel.value;
    s.reserve.value = twiceCost;
    assert.equal(s.metered.twice$entry(0, 5), s.plain.twice(5));
    assert.equal(s.fuel.value + s.reserve.value, 0);
    // One unit short: the fuel trap, the counter negative and the reserve emptied.
    s.reserve.value = cost - 11;
    assert.throws(() => s.metered.fib$entry(10, 22), /unreachable/);
    assert.ok(s.fuel.value < 0, `fuel left ${s.fuel.value}`);
    assert.equal(s.reserve.value, 0);
  });

  test("loops refilled after they exit: nested loops and branches out of them stay exact", () => {
    // sort's inner while leaves through a branch out of the loop, past the labels the rewriter
    // puts around a loop header's refill; a counter of 1 makes nearly every header refill.
    const n = 120;
    const a = fillRandom(s.plain, n, 11);
    s.plain.sort(a, n);
    const want = Array.from(new Int32Array(s.plain.memory.buffer, a, n));
    s.reserve.value = 0;
    let b = fillRandom(s.metered, n, 11);
    s.metered.sort$entry(BUDGET, b, n);
    const cost = BUDGET - s.fuel.value;
    for (const counter of [1, 2, 1000]) {
      b = fillRandom(s.metered, n, 11);
      s.reserve.value = cost - counter + 5;
      s.metered.sort$entry(counter, b, n);
      assert.deepEqual(Array.from(new Int32Array(s.metered.memory.buffer, b, n)), want);
      assert.equal(s.fuel.value + s.reserve.value, 5, `counter ${counter}: fuel left`);
    }
    b = fillRandom(s.metered, n, 11);
    s.reserve.value = cost - 2;
    assert.throws(() => s.metered.sort$entry(1, b, n), /unreachable/);
    assert.equal(s.reserve.value, 0);
    s.reserve.value = 0;
  });

  test("host functions see the shared budget, already charged", () => {
    s.seen.length = 0;
    const result = s.metered.twice$entry(BUDGET, 21);
    assert.equal(s.seen.length, 1);
    assert.equal(result, s.plain.twice(21));
    assert.ok(s.seen[0]! < BUDGET && s.seen[0]! > 0, `host saw ${s.seen[0]}`);
  });

  test("an infinite loop stops with the fuel trap and the fuel global negative", () => {
    assert.throws(() => s.metered.spin$entry(100_000), /unreachable/);
    assert.ok(s.fuel.value < 0, `fuel left ${s.fuel.value}`);
    assert.throws(() => s.metered.fib$entry(50, 25), /unreachable/);
    assert.ok(s.fuel.value < 0);
    // A fresh budget runs again.
    assert.equal(s.metered.fib$entry(BUDGET, 12), s.plain.fib(12));
  });

  test("deep recursion traps on the depth limit, leaving the counter above it", () => {
    const depth = s.metered.__kplug_depth as WebAssembly.Global;
    depth.value = 0; // the traps of the tests above left it raised: the host resets it
    assert.equal(s.metered.deep$entry(BUDGET, 100), s.plain.deep(100));
    assert.equal(depth.value, 0, "balanced on normal returns");
    assert.throws(() => s.metered.deep$entry(BUDGET, 100_000), /unreachable/);
    assert.equal(depth.value, s.info.depth.max + 1);
    assert.ok(s.fuel.value >= 0, "not a fuel trap");
    depth.value = 0; // what the host does after any fault
    assert.equal(s.metered.deep$entry(BUDGET, 400), s.plain.deep(400));
  });

  test("direct and mutual recursion trap on the depth limit too", () => {
    const depth = s.metered.__kplug_depth as WebAssembly.Global;
    for (const f of ["down", "ping"]) {
      depth.value = 0;
      assert.equal(s.metered[`${f}$entry`](BUDGET, 50), s.plain[f](50), f);
      assert.equal(depth.value, 0, `${f}: balanced on normal returns`);
      assert.throws(() => s.metered[`${f}$entry`](BUDGET, 1_000_000), /unreachable/);
      assert.equal(depth.value, s.info.depth.max + 1, `${f}: a depth trap`);
      assert.ok(s.fuel.value >= 0, `${f}: not a fuel trap`);
    }
    depth.value = 0;
  });

  test("functions that cannot recurse count no depth; fuel-free leaves are left as they were", () => {
    const before = decodeModule(s.original);
    const after = decodeModule(s.wasm);
    const imported = before.imports.filter((i) => i.kind === "func").length;
    const index = (name: string) =>
      before.exports.find((e) => e.name === name && e.kind === "func")!.index - imported;
    const body = (m: typeof before, name: string) => m.code[index(name)]!.body;
    const depthGlobal = after.exports.find((e) => e.name === "__kplug_depth")!.index;
    const touchesDepth = (name: string) =>
      decodeInstructions(body(after, name)).some(
        (i) => (i.name === "global.get" || i.name === "global.set") && i.index === depthGlobal,
      );
    for (const f of ["fib", "deep", "down", "ping", "pong"]) assert.ok(touchesDepth(f), f);
    for (const f of ["sort", "checksum", "spin", "twice", "buffer"]) assert.ok(!touchesDepth(f), f);
    assert.deepEqual(body(after, "buffer"), body(before, "buffer"));
  });

  test("a budget too small for straight-line code is refused at the entry's exit", () => {
    const at = fillRandom(s.metered, 10, 1);
    // checksum's loop header tests the counter; a budget of 1 cannot pay for one iteration.
    assert.throws(() => s.metered.checksum$entry(1, at, 40), /unreachable/);
    assert.ok(s.fuel.value < 0);
  });
});

const SHARED_LIB = `
#define EXPORT __attribute__((visibility("default")))
static int weights[8] = {3, 1, 4, 1, 5, 9, 2, 6};
EXPORT int weigh(int n) { int s = 0; for (int i = 0; i < n; i++) s += weights[i & 7] * i; return s; }
static int square(int x) { return x * x; }
EXPORT int via_pointer(int x) { int (*volatile f)(int) = square; return f(x) + 1; }
EXPORT int on_stack(int n) {
  volatile int buf[512];
  for (int i = 0; i < 512; i++) buf[i] = i * n;
  return buf[n & 511];
}
`;

function linkShared(wasm: Uint8Array<ArrayBuffer>, stackTop: number, fuel?: WebAssembly.Global) {
  const info = decodeDylink(wasm)!;
  const memory = new WebAssembly.Memory({ initial: 4 });
  const table = new WebAssembly.Table({ initial: info.tableSize + 1, element: "anyfunc" });
  const env: WebAssembly.ModuleImports = {
    memory,
    __indirect_function_table: table,
    __memory_base: new WebAssembly.Global({ value: "i32", mutable: false }, 4096),
    __table_base: new WebAssembly.Global({ value: "i32", mutable: false }, 1),
    __stack_pointer: new WebAssembly.Global({ value: "i32", mutable: true }, stackTop),
  };
  if (fuel) {
    env.fuel = fuel;
    env.fuel_reserve = fuelReserve();
    fuel.value = BUDGET; // the start function is metered too
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env });
  return { memory, exports: instance.exports as Exports };
}

describe("instrument: clang shared libraries (dylink.0)", () => {
  const original = clangWasm(SHARED_LIB, "shared");
  const grants: ImportGrant[] = [
    { module: "env", name: "memory", kind: "memory" },
    { module: "env", name: "__indirect_function_table", kind: "table" },
    { module: "env", name: "__memory_base", kind: "global", type: "i32", mutable: false },
    { module: "env", name: "__table_base", kind: "global", type: "i32", mutable: false },
    { module: "env", name: "__stack_pointer", kind: "global", type: "i32", mutable: true },
  ];
  const verified = verify(original, {
    grants,
    maxMemoryPages: 256,
    maxTableSize: 64,
    allowStart: true,
  });

  test("dylink.0 describes the static data the module really has", () => {
    const dylink = verified.dylink!;
    assert.ok(dylink, "a dylink.0 section");
    const dataBytes = decodeModule(original).data.reduce((n, d) => n + d.bytes.length, 0);
    assert.ok(dylink.memorySize >= 32 && dylink.memorySize >= dataBytes, `${dylink.memorySize}`);
    assert.ok(dylink.tableSize >= 1, "square's address takes a table slot");
    assert.deepEqual(dylink.needed, []);
  });

  test("metered, linked into a shared memory, it computes the same and leaves the fuel at address 8", async () => {
    const { wasm, info } = instrument(verified, { stackFloor: 1024 });
    await validateWasm(wasm);
    assert.equal(info.kind, "shared-library");
    assert.deepEqual(info.fuelLeft, { in: "memory", addr: 8 });
    assert.equal(info.dataSize, verified.dylink!.memorySize);
    assert.ok(info.uses.memoryBase && info.uses.table && info.uses.stackPointer && info.start);
    const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
    const plain = linkShared(original, 65536);
    const metered = linkShared(wasm, 65536, fuel);
    for (const n of [0, 5, 100]) {
      assert.equal(metered.exports.weigh$entry(BUDGET, n), plain.exports.weigh(n));
      const left = new Int32Array(metered.memory.buffer)[2]!;
      assert.equal(left, fuel.value);
      // 1 per loop iteration (clang may unroll the loop, by at most 8 here).
      assert.ok(left <= BUDGET - Math.floor(n / 8), `${n} iterations left ${left}`);
    }
    assert.equal(metered.exports.via_pointer$entry(BUDGET, 9), plain.exports.via_pointer(9));
    assert.equal(metered.exports.on_stack$entry(BUDGET, 77), plain.exports.on_stack(77));
  });

  test("a frame that would cross the stack floor traps", () => {
    const { wasm } = instrument(verified, { stackFloor: 60_000 });
    const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
    const metered = linkShared(wasm, 61_000, fuel);
    assert.throws(() => metered.exports.on_stack$entry(BUDGET, 3), /unreachable/);
    assert.ok(fuel.value >= 0, "not a fuel trap");
    const roomy = linkShared(wasm, 65_536, fuel);
    assert.equal(
      roomy.exports.on_stack$entry(BUDGET, 3),
      linkShared(original, 65_536).exports.on_stack(3),
    );
  });
});

describe("instrument: hand-built edge cases", () => {
  test("bulk memory operations pay for their length", () => {
    const b = new ModuleBuilder();
    b.addMemory({ min: 4 });
    const fill = b.addFunction(
      { params: ["i32"], results: [] },
      [],
      new CodeWriter().i32Const(0).i32Const(7).localGet(0).memoryFill(),
    );
    b.exportFunction("fill", fill);
    const { wasm } = instrument(verify(b.encode(), POLICY));
    const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
    const e = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
      env: { fuel, fuel_reserve: fuelReserve() },
    }).exports as Exports;
    e.fill$entry(BUDGET, 64);
    const small = BUDGET - fuel.value;
    e.fill$entry(BUDGET, 200_000);
    const large = BUDGET - fuel.value;
    assert.ok(large - small >= (200_000 - 64) >> 6, `${small} then ${large}`);
    assert.throws(() => e.fill$entry(100, 200_000), /unreachable/);
  });

  test("deeply nested blocks and multi-value results are rewritten validly", async () => {
    const b = new ModuleBuilder();
    const pair = b.type({ params: [], results: ["i32", "i32"] });
    const w = new CodeWriter();
    const depth = 2000;
    for (let i = 0; i < depth; i++) w.block();
    w.localGet(0)
      .op("i32_eqz")
      .brIf(depth - 1); // to the outermost nested block
    w.loop().localGet(0).i32Const(1).op("i32_sub").localTee(0).brIf(0).end();
    for (let i = 0; i < depth; i++) w.end();
    w.localGet(0).i32Const(5).br(0);
    const f = b.addFunction({ params: ["i32"], results: ["i32", "i32"] }, [], w);
    b.exportFunction("f", f);
    assert.ok(pair >= 0);
    const { wasm } = instrument(verify(b.encode(), POLICY));
    await validateWasm(wasm);
    const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
    const e = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
      env: { fuel, fuel_reserve: fuelReserve() },
    }).exports as Exports;
    assert.deepEqual(e.f$entry(BUDGET, 0), [0, 5]);
    assert.deepEqual(e.f$entry(BUDGET, 1000), [0, 5]);
    assert.throws(() => e.f$entry(100, 0x7fffffff), /unreachable/);
  });
});
