import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeDylink } from "../../wasm/dylink.ts";
import { ByteWriter, CodeWriter, ModuleBuilder } from "../../wasm/encoder.ts";
import { instrument } from "../../wasm/instrument.ts";
import { type ImportGrant, type VerifyPolicy, verify, WasmVerifyError } from "../../wasm/verify.ts";
import { toWat } from "../../wasm/wat.ts";
import { loadWabt } from "../helpers/validate.ts";
import { clangWasm } from "./clang.ts";

const HOST_ADD: ImportGrant = {
  module: "env",
  name: "host_add",
  kind: "func",
  params: ["i32", "i32"],
  results: ["i32"],
};
const POLICY: VerifyPolicy = { grants: [HOST_ADD], maxMemoryPages: 16, maxTableSize: 1000 };

/** A module from WAT, with the post-MVP features the hostile cases need. */
async function wat(text: string): Promise<Uint8Array> {
  const wabt = await loadWabt();
  const features = { threads: true, multi_memory: true, simd: true, exceptions: true };
  const m = wabt.parseWat("t.wat", text, features);
  try {
    return m.toBinary({ write_debug_names: true }).buffer;
  } finally {
    m.destroy();
  }
}

function refusal(bytes: Uint8Array, message: string, policy = POLICY): void {
  assert.throws(
    () => verify(bytes, policy),
    (e: unknown) => {
      assert.ok(e instanceof WasmVerifyError, `not a WasmVerifyError: ${e}`);
      assert.equal(e.message, message);
      return true;
    },
  );
}

describe("verify: clang-built modules", () => {
  test("accepts a module whose imports are granted with their exact types", () => {
    const src = "extern int host_add(int, int); int f(int a) { return host_add(a, 2); }";
    const v = verify(clangWasm(src, "standalone"), POLICY);
    assert.ok(v.module.exports.some((e) => e.name === "f"));
    assert.ok([...v.names.values()].includes("f"));
  });

  test("refuses an import that is not granted, by name", () => {
    const src = `extern void *fopen(const char *, const char *);
      void *g(void) { return fopen("a", "r"); }`;
    refusal(clangWasm(src, "standalone"), "import env.fopen: not granted");
  });

  test("refuses an import whose wasm type differs from the grant", () => {
    const src = "extern int host_add(int); int f(int a) { return host_add(a); }";
    refusal(
      clangWasm(src, "standalone"),
      "import env.host_add: type (i32) -> i32 does not match the granted (i32, i32) -> i32",
    );
  });

  test("refuses memory beyond the limit, initial or maximum", () => {
    const src = "int f(void) { return 1; }";
    refusal(
      clangWasm(src, "standalone", ["-O2", "-Wl,--max-memory=16777216"]),
      "memory 0: maximum 256 pages exceeds the limit of 16",
    );
    refusal(
      clangWasm(src, "standalone", ["-O2", "-Wl,--initial-memory=2097152"]),
      "memory 0: initial 32 pages exceeds the limit of 16",
    );
  });

  test("accepts SIMD code, which is metered and runs like the original", () => {
    const src = `void add(float *restrict a, const float *restrict b, int n) {
      for (int i = 0; i < n; i++) a[i] += b[i]; }`;
    const bytes = clangWasm(src, "standalone", ["-O2", "-msimd128"]);
    const v = verify(bytes, POLICY);
    assert.match(toWat(bytes), /f32x4\.add/);
    const { wasm } = instrument(v, {});
    const fuel = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
      env: { fuel, fuel_reserve: new WebAssembly.Global({ value: "f64", mutable: true }, 0) },
    });
    const e = inst.exports as Record<string, never>;
    const mem = new Float32Array((e.memory as WebAssembly.Memory).buffer);
    const at = 4096;
    for (let i = 0; i < 37; i++) {
      mem[at + i] = i;
      mem[at + 64 + i] = 0.5 * i;
    }
    const budget = 1_000_000;
    (e["add$entry"] as (f: number, a: number, b: number, n: number) => void)(
      budget,
      4 * at,
      4 * (at + 64),
      37,
    );
    for (let i = 0; i < 37; i++) assert.equal(mem[at + i], 1.5 * i);
    assert.ok(fuel.value > 0 && fuel.value < budget, "the SIMD loop charged fuel");
  });

  test("refuses a function body larger than the policy allows, naming it", () => {
    const src = "int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }";
    assert.throws(
      () => verify(clangWasm(src, "standalone"), { ...POLICY, maxFunctionBytes: 16 }),
      /^WasmVerifyError: function \d+ \(fib\): body of \d+ bytes exceeds the limit of 16$/,
    );
  });

  test("refuses the start function of a shared library unless allowed", () => {
    const src = `static int x = 1; static int *p = &x;
      __attribute__((visibility("default"))) int get(void) { return *p; }`;
    const bytes = clangWasm(src, "shared");
    const grants: ImportGrant[] = [
      { module: "env", name: "memory", kind: "memory" },
      { module: "env", name: "__indirect_function_table", kind: "table" },
      { module: "env", name: "__memory_base", kind: "global", type: "i32", mutable: false },
      { module: "env", name: "__table_base", kind: "global", type: "i32", mutable: false },
    ];
    assert.throws(
      () => verify(bytes, { ...POLICY, grants }),
      /^WasmVerifyError: start function \d+ \(__wasm_apply_data_relocs\): not allowed$/,
    );
    assert.ok(verify(bytes, { ...POLICY, grants, allowStart: true }).dylink);
  });
});

describe("verify: hostile modules", () => {
  test("malformed bytes", () => {
    assert.throws(
      () => verify(new Uint8Array([1, 2, 3]), POLICY),
      /^WasmVerifyError: module: invalid: /,
    );
    const truncated = new ModuleBuilder();
    truncated.addFunction({ params: [], results: [] }, [], new CodeWriter());
    const bytes = truncated.encode();
    assert.throws(
      () => verify(bytes.subarray(0, bytes.length - 2), POLICY),
      /^WasmVerifyError: module: invalid: /,
    );
  });

  test("shared memory", async () => {
    refusal(await wat("(module (memory 1 1 shared))"), "memory 0: shared memory is not supported");
  });

  test("multiple memories", async () => {
    refusal(
      await wat("(module (memory 1) (memory 1))"),
      "memory 1: multiple memories are not supported",
    );
  });

  test("atomics on an unshared memory", async () => {
    const text = "(module (memory 1) (func $a (result i32) i32.const 0 i32.atomic.load))";
    refusal(await wat(text), "function 0 (a): threads (atomics) at body offset 2 is not supported");
  });

  test("exception handling", async () => {
    const text = "(module (func $t try nop catch_all end))";
    refusal(
      await wat(text),
      "function 0 (t): exception handling (try) at body offset 0 is not supported",
    );
  });

  test("exception tags, imported or thrown", async () => {
    refusal(
      await wat('(module (import "env" "__kplug_longjmp" (tag (param i32 i32))))'),
      "import env.__kplug_longjmp: exception tags are not supported",
    );
  });

  test("a start function", async () => {
    refusal(
      await wat("(module (func $boot) (start $boot))"),
      "start function 0 (boot): not allowed",
    );
  });

  test("huge table declarations", () => {
    const b = new ModuleBuilder();
    b.addTable({ min: 10, max: 5_000_000 });
    refusal(b.encode(), "table 0: maximum 5000000 slots exceeds the limit of 1000");
  });

  test("exports that impersonate the rewriter's names", async () => {
    refusal(await wat('(module (func (export "f$entry")))'), "export f$entry: reserved name");
  });

  test("a body that does not type-check", () => {
    const b = new ModuleBuilder();
    b.addFunction({ params: [], results: ["i32"] }, [], new CodeWriter().i64Const(1n));
    assert.throws(() => verify(b.encode(), POLICY), /^WasmVerifyError: module: invalid: /);
  });

  test("a fuel import of the wrong type", async () => {
    const text = '(module (import "env" "fuel" (global i64)))';
    refusal(await wat(text), "import env.fuel: must be a mutable i32 global (the fuel counter)");
  });

  test("an import of the fuel reserve (a module could refill its own budget)", async () => {
    const text = '(module (import "env" "fuel_reserve" (global (mut f64))))';
    refusal(await wat(text), "import env.fuel_reserve: is reserved for fuel metering");
  });
});

describe("decodeDylink", () => {
  test("reads every subsection of a hand-made dylink.0", () => {
    const sub = (type: number, fill: (w: ByteWriter) => void) => {
      const body = new ByteWriter();
      fill(body);
      const w = new ByteWriter();
      w.byte(type);
      w.sized(body);
      return w.finish().slice();
    };
    const payload = new ByteWriter();
    payload.raw(
      sub(1, (w) => {
        for (const v of [300, 3, 7, 0]) w.u32(v);
      }),
    );
    payload.raw(
      sub(2, (w) => {
        w.u32(2);
        w.name("liba.so");
        w.name("libb.so");
      }),
    );
    payload.raw(
      sub(3, (w) => {
        w.u32(1);
        w.name("tls_var");
        w.u32(0x100);
      }),
    );
    payload.raw(
      sub(4, (w) => {
        w.u32(1);
        w.name("env");
        w.name("maybe");
        w.u32(1);
      }),
    );
    payload.raw(sub(99, (w) => w.u32(12345))); // unknown: skipped
    const b = new ModuleBuilder();
    b.addCustomSection("dylink.0", payload.finish().slice());
    assert.deepEqual(decodeDylink(b.encode()), {
      memorySize: 300,
      memoryAlign: 8,
      tableSize: 7,
      tableAlign: 1,
      needed: ["liba.so", "libb.so"],
      exportFlags: { tls_var: 0x100 },
      importFlags: { "env.maybe": 1 },
    });
  });

  test("is undefined for a module without one, and refuses a truncated one", () => {
    assert.equal(decodeDylink(new ModuleBuilder().encode()), undefined);
    const b = new ModuleBuilder();
    b.addCustomSection("dylink.0", new Uint8Array([1, 10, 5]));
    assert.throws(() => decodeDylink(b.encode()), /wasm decode: dylink.0 subsection 1 exceeds/);
  });
});
