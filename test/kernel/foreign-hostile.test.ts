// The hostile corpus of foreign modules: each one is refused at `add` with a LinkError naming
// the item, or stopped by a typed PluginFault; afterwards the host, the runtime and a
// neighbouring runtime all still work.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type FaultKind, Kernel, LinkError, PluginFault } from "../../kernel/index.ts";
import { loadWabt } from "../helpers/validate.ts";
import { clangWasm } from "../wasm/clang.ts";

const kernel = new Kernel();
kernel.export("host_secret", "int host_secret(void)", () => 42);
const neighbour = kernel.createRuntime("neighbour", { allow: ["host_secret"], quarantine: false });
neighbour.add(
  "n",
  "int host_secret(void); static int state = 5; int n_get(void) { return state + host_secret(); }",
);
const rt = kernel.createRuntime("victim", {
  allow: ["libc"],
  quarantine: false,
  fuel: 5e6,
  memory: 16 << 20,
});
rt.add("kp", "int kp_add(int a, int b) { return a + b; }");

async function wat(text: string): Promise<Uint8Array> {
  const wabt = await loadWabt();
  const features = { threads: true, multi_memory: true };
  const m = wabt.parseWat("t.wat", text, features);
  try {
    return m.toBinary({ write_debug_names: true }).buffer;
  } finally {
    m.destroy();
  }
}

function unharmed(): void {
  assert.deepEqual(rt.pluginNames, ["kp"]);
  assert.equal(rt.call("kp_add", 2, 3), 5);
  assert.equal(neighbour.call("n_get"), 47);
}

function refused(bytes: Uint8Array, pattern: RegExp, header?: string): void {
  assert.throws(
    () => rt.add("evil", bytes, header === undefined ? {} : { header }),
    (e: unknown) => {
      assert.ok(e instanceof LinkError, `not a LinkError: ${e}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
  unharmed();
}

function stopped(bytes: Uint8Array, call: string, kind: FaultKind, args: unknown[] = []): void {
  rt.add("evil", bytes);
  try {
    for (let round = 0; round < 2; round++) {
      assert.throws(
        () => rt.call(call, ...args),
        (e: unknown) => e instanceof PluginFault && e.kind === kind && e.plugin === "evil",
      );
    }
  } finally {
    rt.remove("evil");
  }
  unharmed();
}

describe("hostile foreign modules", () => {
  test("an infinite loop runs out of fuel", () => {
    stopped(
      clangWasm('void spin(void) { for (;;) __asm__ volatile(""); }', "standalone"),
      "spin",
      "fuel-exhausted",
    );
  });

  test("deep recursion hits the depth limit", () => {
    const src = `int deep(int n); int (*volatile self)(int) = deep;
      int deep(int n) { return n ? self(n - 1) + 1 : 0; }`;
    stopped(clangWasm(src, "standalone"), "deep", "stack-exhausted", [1e7]);
    // Direct and mutual recursion: counted because they lie on a cycle of the call graph.
    const direct = "int down(int n) { return n ? down(n - 1) * 3 + 1 : 0; }";
    stopped(clangWasm(direct, "standalone"), "down", "stack-exhausted", [1e7]);
    const mutual = `int pong(int n);
      __attribute__((noinline)) int ping(int n) { return n ? pong(n - 1) * 5 + 1 : 1; }
      __attribute__((noinline)) int pong(int n) { return n ? ping(n - 1) * 7 + 2 : 2; }`;
    stopped(clangWasm(mutual, "standalone"), "ping", "stack-exhausted", [1e7]);
  });

  test("a host call in a loop is charged and stopped", () => {
    const src = `extern int kp_add(int, int);
      int churn(void) { int s = 0; for (;;) s = kp_add(s, 1); return s; }`;
    stopped(clangWasm(src, "standalone"), "churn", "fuel-exhausted");
  });

  test("huge memory declarations", async () => {
    // Beyond the runtime's 16 MiB, initial or maximum; beyond the engine's limit too.
    refused(await wat("(module (memory 60000))"), /memory 0: .*exceeds the limit/);
    refused(await wat("(module (memory 1 60000))"), /memory 0: .*exceeds the limit/);
    refused(await wat("(module (memory 70000))"), /memory size .* larger than/);
  });

  test("huge table declarations", async () => {
    refused(await wat("(module (table 1000000 funcref))"), /table 0: .*exceeds/);
  });

  test("a start function that loops", async () => {
    const bytes = await wat(`(module (func $forever (loop $l (br $l))) (start $forever))`);
    refused(bytes, /start function failed: ran out of fuel/);
  });

  test("constructors that loop", () => {
    const src = `__attribute__((constructor)) static void init(void) { for (;;) __asm__ volatile(""); }
      int f(void) { return 1; }`;
    refused(clangWasm(src, "standalone"), /constructors .* ran out of fuel/);
  });

  test("imports that are not granted", () => {
    const src = "extern int host_secret(void); int f(void) { return host_secret(); }";
    refused(clangWasm(src, "standalone"), /import env\.host_secret: not granted/);
    const wasi = `(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))))`;
    return wat(wasi).then((b) =>
      refused(b, /import wasi_snapshot_preview1\.fd_write: not granted/),
    );
  });

  test("wrong signatures", () => {
    const src = "extern int kp_add(int); int f(int a) { return kp_add(a); }";
    refused(clangWasm(src, "standalone"), /import env\.kp_add: type \(i32\) -> i32 does not match/);
    const ok = clangWasm("int f(int a) { return a; }", "standalone");
    refused(ok, /signature mismatch for export 'f'/, "double f(int);");
    refused(ok, /conflicting|error/i, "int f(int); int f(double);");
  });

  test("multiple memories and shared memory", async () => {
    refused(await wat("(module (memory 1) (memory 1))"), /multiple memories/);
    refused(await wat("(module (memory 1 1 shared))"), /shared memory/);
  });

  test("a 10 MB function body", () => {
    const body = new Uint8Array(10 << 20).fill(0x01); // nops
    body[0] = 0x00; // no locals
    body[body.length - 1] = 0x0b; // end
    refused(oneFunction(body), /function size|body of \d+ bytes exceeds the limit/);
  });

  test("deeply nested blocks", () => {
    const depth = 50000;
    const body = new Uint8Array(1 + depth * 3 + 3);
    body[0] = 0x00;
    for (let i = 0; i < depth; i++) body.set([0x02, 0x40], 1 + i * 2); // block (empty type)
    body.fill(0x0b, 1 + depth * 2, 1 + depth * 3); // their ends
    body.set([0x41, 0x07, 0x0b], 1 + depth * 3); // i32.const 7, end
    const bytes = oneFunction(body, true);
    try {
      rt.add("evil", bytes);
      assert.equal(rt.call("nest"), 7);
      rt.remove("evil");
    } catch (e) {
      assert.ok(e instanceof LinkError, `not a LinkError: ${e}`);
    }
    unharmed();
  });

  test("malformed bytes", () => {
    refused(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01, 0xff]), /module: invalid/);
    refused(new Uint8Array([1, 2, 3]), /module/);
    refused(new TextEncoder().encode("int main(void) { return 0; }"), /module/);
  });

  test("GOT imports of a shared library are refused with advice", async () => {
    const bytes = await wat(`(module (import "GOT.func" "f" (global (mut i32))))`);
    refused(bytes, /GOT\.func\.f: not granted .*static or hidden/);
  });
});

/** A module of one function of type () -> i32 (exported as `nest`) or () -> (), with `body`. */
function oneFunction(body: Uint8Array, returnsI32 = false): Uint8Array {
  const size = leb(body.length);
  const codeSize = leb(1 + size.length + body.length);
  const type = returnsI32
    ? [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f]
    : [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
  const exports = returnsI32
    ? [0x07, 0x08, 0x01, 0x04, ...new TextEncoder().encode("nest"), 0x00, 0x00]
    : [];
  const head = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...type,
    0x03,
    0x02,
    0x01,
    0x00,
    ...exports,
  ];
  const codeHead = [0x0a, ...codeSize, 0x01, ...size];
  const out = new Uint8Array(head.length + codeHead.length + body.length);
  out.set(head, 0);
  out.set(codeHead, head.length);
  out.set(body, head.length + codeHead.length);
  return out;
}

function leb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
