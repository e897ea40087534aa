// Foreign modules built by the real clang, linked into runtimes: shared libraries (dylink.0)
// that share the runtime's memory and link with KP-C plugins both ways, standalone modules with
// their own memory, signatures from a header or the `kplug.sig` section, faults, caching.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Kernel, LinkError, PluginFault, runProgram } from "../../kernel/index.ts";
import { clangWasm } from "../wasm/clang.ts";

const API = '#define API __attribute__((visibility("default")))\n';

const LIBRARY = `${API}
static int table[4] = {10, 20, 30, 40};
int *ptrs[2] = { &table[1], &table[2] };
static int counter;
extern int kp_scale(int);
extern int puts(const char *);
API int lib_get(int i) { return *ptrs[i & 1] + counter; }
API int lib_scaled(int a) { return kp_scale(a) + 1; }
static int square(int x) { return x * x; }
int (*volatile fp)(int) = square;
API int lib_viafp(int x) { return fp(x); }
API unsigned lib_sum(const unsigned char *p, int n) {
  unsigned s = 0;
  for (int i = 0; i < n; i++) s += p[i];
  return s;
}
API void lib_fill(unsigned char *p, int n, int v) { for (int i = 0; i < n; i++) p[i] = (unsigned char)(v + i); }
API int lib_hello(void) { return puts("hello from clang"); }
API int lib_fib(int n) { return n < 2 ? n : lib_fib(n - 1) + lib_fib(n - 2); }
API void lib_spin(void) { for (;;) __asm__ volatile(""); }
static int deep(int n);
static int (*volatile self)(int) = deep;
static int deep(int n) { return n ? self(n - 1) + 1 : 0; }
API int lib_deep(int n) { return deep(n); }
API int lib_trap(void) { __builtin_trap(); }
__attribute__((constructor)) static void init(void) { counter = 100; }
`;

const LIBRARY_HEADER = `
int kp_scale(int);
int puts(const char *);
int lib_get(int);
int lib_scaled(int);
int lib_viafp(int);
unsigned lib_sum(const unsigned char *, int);
void lib_fill(unsigned char *, int, int);
int lib_hello(void);
int lib_fib(int);
void lib_spin(void);
int lib_deep(int);
int lib_trap(void);
`;

const STANDALONE = `
int sa_add(int a, int b) { return a + b; }
unsigned sa_sum(const unsigned char *p, int n) {
  unsigned s = 0;
  for (int i = 0; i < n; i++) s += p[i];
  return s;
}
long long sa_wide(long long x) { return x * 3; }
double sa_half(double x) { return x / 2; }
extern int kp_scale(int);
int sa_scaled(int a) { return kp_scale(a) * 2; }
`;

let library: Uint8Array | undefined;
let standalone: Uint8Array | undefined;
const lib = () => (library ??= clangWasm(LIBRARY, "shared"));
const sa = () => (standalone ??= clangWasm(STANDALONE, "standalone"));

function setup(options: { fuel?: number } = {}) {
  const kernel = new Kernel();
  let out = "";
  const rt = kernel.createRuntime("rt", {
    allow: ["libc"],
    quarantine: false,
    stdout: (b) => {
      out += new TextDecoder().decode(b);
    },
    ...options,
  });
  rt.add("kp", "int kp_scale(int x) { return x * 10; }");
  const output = () => {
    rt.flush();
    return out;
  };
  return { kernel, rt, output };
}

describe("shared libraries (dylink.0) built by clang", () => {
  test("data relocations and constructors run; functions, pointers and the table work", () => {
    const { rt } = setup();
    rt.add("lib", lib(), { header: LIBRARY_HEADER });
    assert.equal(rt.call("lib_get", 0), 20 + 100);
    assert.equal(rt.call("lib_get", 1), 30 + 100);
    assert.equal(rt.call("lib_viafp", 7), 49);
    assert.equal(rt.call("lib_fib", 15), 610);
  });

  test("the host passes buffers in the runtime's memory", () => {
    const { rt } = setup();
    rt.add("lib", lib(), { header: LIBRARY_HEADER });
    const a = rt.alloc(64);
    rt.call("lib_fill", a.ptr, 64, 3);
    const expected = Array.from({ length: 64 }, (_, i) => 3 + i);
    assert.deepEqual([...a.bytes], expected);
    assert.equal(
      rt.call("lib_sum", a.ptr, 64),
      expected.reduce((x, y) => x + y, 0),
    );
  });

  test("clang calls KP-C and libc; KP-C calls clang", () => {
    const { rt, output } = setup();
    rt.add("lib", lib(), { header: LIBRARY_HEADER });
    assert.equal(rt.call("lib_scaled", 4), 41);
    rt.call("lib_hello");
    assert.match(output(), /hello from clang/);
    rt.add(
      "user",
      `unsigned lib_sum(const unsigned char *, int); int lib_get(int);
       unsigned user(void) { unsigned char b[4] = {1, 2, 3, 250}; return lib_sum(b, 4) + lib_get(1); }`,
    );
    assert.equal(rt.call("user"), 256 + 130);
  });

  test("faults: fuel, depth, trap — typed, named, and the runtime goes on", () => {
    const { rt } = setup({ fuel: 1e6 });
    rt.add("lib", lib(), { header: LIBRARY_HEADER });
    const fault = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        assert.ok(e instanceof PluginFault, String(e));
        return e;
      }
      assert.fail("no fault");
    };
    const spin = fault(() => rt.call("lib_spin"));
    assert.equal(spin.kind, "fuel-exhausted");
    assert.equal(spin.plugin, "lib");
    assert.equal(spin.function, "lib_spin");
    const deep = fault(() => rt.call("lib_deep", 1e6));
    assert.equal(deep.kind, "stack-exhausted");
    // The depth counter was reset: moderate recursion works again, repeatedly.
    for (let i = 0; i < 3; i++) assert.equal(rt.call("lib_deep", 500), 500);
    const trap = fault(() => rt.call("lib_trap"));
    assert.equal(trap.kind, "unreachable");
    assert.equal(rt.call("lib_get", 0), 120);
  });

  test("signatures: a header that disagrees with the wasm type is refused", () => {
    const { rt } = setup();
    assert.throws(
      () =>
        rt.add("lib", lib(), {
          header: LIBRARY_HEADER.replace("int lib_fib(int);", "long long lib_fib(int);"),
        }),
      (e: unknown) =>
        e instanceof LinkError &&
        /signature mismatch for export 'lib_fib'/.test(e.message) &&
        /\(i32\) -> i64/.test(e.message),
    );
    assert.deepEqual(rt.pluginNames, ["kp"]);
  });

  test("without a header, signatures are derived from wasm types, and pointer imports then fail to link", () => {
    const { rt } = setup();
    // puts is `int (char *)` in libc; derived from the wasm type it is `int (int)`.
    assert.throws(
      () => rt.add("lib", lib()),
      (e: unknown) => e instanceof LinkError && /puts/.test(e.message),
    );
    const only = clangWasm(`${API} API int twice(int x) { return 2 * x; }`, "shared");
    const p = rt.add("only", only);
    assert.equal(rt.call("twice", 21), 42);
    const m = p.module as unknown as { derivedSignatures: string[] };
    assert.deepEqual(m.derivedSignatures, ["twice"]);
    assert.equal(p.module.exports[0]!.signature, "int (int)");
  });

  test("the kplug.sig custom section carries the signatures", () => {
    // clang 14 has no attribute for custom sections: the test appends one, as a build step would.
    const bytes = clangWasm(
      `${API} extern int puts(const char *); API int shout(const char *s) { return puts(s); }`,
      "shared",
    );
    const withSig = appendCustomSection(
      bytes,
      "kplug.sig",
      "int shout(const char *); int puts(const char *);",
    );
    const { rt, output } = setup();
    rt.add("shout", withSig);
    assert.equal(rt.plugin("shout")!.module.exports[0]!.signature, "int (char *)");
    const s = rt.writeString("loud");
    rt.call("shout", s);
    assert.match(output(), /loud/);
  });

  test("a rewrite is cached by content: re-adding costs a link", () => {
    const { kernel, rt } = setup();
    const a = rt.add("lib", lib(), { header: LIBRARY_HEADER });
    const other = kernel.createRuntime("other", { allow: ["libc"], quarantine: false });
    other.add("kp", "int kp_scale(int x) { return x + 1; }");
    const b = other.add("lib2", lib(), { header: LIBRARY_HEADER });
    const info = (p: typeof a) => (p.module as unknown as { foreign: object }).foreign;
    assert.equal(info(a), info(b));
    assert.equal(other.call("lib_scaled", 4), 6);
    assert.equal(rt.call("lib_scaled", 4), 41);
  });

  test("hot swap: KP-C dependents follow a replaced clang library", () => {
    const { rt } = setup();
    rt.add("lib", lib(), { header: LIBRARY_HEADER });
    rt.add("user", "int lib_fib(int); int user(int n) { return lib_fib(n); }");
    assert.equal(rt.call("user", 10), 55);
    const v2 = clangWasm(`${API} API int lib_fib(int n) { return n * 1000; }`, "shared");
    rt.replace("lib", v2);
    assert.equal(rt.call("user", 3), 3000);
    const v3 = clangWasm(`${API} API long long lib_fib(int n) { return n; }`, "shared");
    assert.throws(() => rt.replace("lib", v3), LinkError); // user imports it as int (int)
    assert.equal(rt.call("user", 4), 4000);
  });
});

describe("standalone modules built by clang", () => {
  test("own memory: scalars, wide and float types, buffers through ownMemory", () => {
    const { rt } = setup();
    const p = rt.add("sa", sa());
    assert.equal(rt.call("sa_add", 2, 3), 5);
    assert.equal(rt.call("sa_wide", 5n), 15n);
    assert.equal(rt.call("sa_half", 3), 1.5);
    assert.equal(rt.call("sa_scaled", 2), 40);
    const mem = p.ownMemory!;
    assert.ok(mem);
    const buf = mem.alloc(1000);
    buf.bytes.set(Array.from({ length: 1000 }, (_, i) => i & 255));
    let expected = 0;
    for (let i = 0; i < 1000; i++) expected += i & 255;
    assert.equal(rt.call("sa_sum", buf.ptr, 1000), expected);
    mem.free(buf);
    assert.equal(rt.plugin("kp")!.ownMemory, undefined);
  });

  test("KP-C calls a standalone function (scalars)", () => {
    const { rt } = setup();
    rt.add("sa", sa());
    rt.add("user", "int sa_add(int, int); int user(void) { return sa_add(40, 2); }");
    assert.equal(rt.call("user"), 42);
  });

  test("fuel is charged to the upcall", () => {
    const { rt } = setup();
    rt.add("sa", sa());
    // 1 per loop iteration as in KP-C: clang's loop may be unrolled (here by at most 8), so
    // the charge grows with the trip count, at no less than 1 per 8 elements.
    const used = (n: number) => {
      const before = rt.stats("sa").fuelUsed;
      rt.call("sa_sum", 0, n);
      return rt.stats("sa").fuelUsed - before;
    };
    const small = used(10000);
    const large = used(20000);
    assert.ok(small >= 10000 / 8, `fuel used ${small}`);
    assert.ok(large >= small + 10000 / 8, `fuel used ${small} then ${large}`);
  });

  test("a standalone module may not import functions taking pointers", () => {
    const { rt } = setup();
    const bytes = clangWasm(
      'extern int puts(const char *); int f(void) { return puts("x"); }',
      "standalone",
    );
    assert.throws(
      () => rt.add("bad", bytes, { header: "int puts(const char *); int f(void);" }),
      (e: unknown) => e instanceof LinkError && /own memory/.test(e.message),
    );
  });
});

/** `bytes` with a custom section appended (custom sections may come last). */
export function appendCustomSection(bytes: Uint8Array, name: string, text: string): Uint8Array {
  const enc = new TextEncoder();
  const n = enc.encode(name);
  const body = enc.encode(text);
  const payload = [...leb(n.length), ...n, ...body];
  return new Uint8Array([...bytes, 0, ...leb(payload.length), ...payload]);
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

describe("fuel units", () => {
  const SOURCE = `
int collatz(int x) { int n = 0; while (x != 1) { x = (x & 1) ? 3 * x + 1 : x / 2; n++; } return n; }
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
`;

  test("a loop iteration and a call cost what they cost in KP-C", () => {
    const kernel = new Kernel();
    const foreign = kernel.createRuntime("foreign", { quarantine: false });
    foreign.add("c", clangWasm(SOURCE, "standalone"));
    const kpc = kernel.createRuntime("kpc", { quarantine: false });
    kpc.add("k", SOURCE);
    const run = (rt: typeof foreign, plugin: string, f: string, x: number) => {
      const before = rt.stats(plugin).fuelUsed;
      const value = rt.call(f, x);
      return { value, fuel: rt.stats(plugin).fuelUsed - before };
    };
    // collatz: one loop iteration per step, data-dependent (no trip count known at entry);
    // fib: one call per call. clang and KP-C may shape them differently (clang turns one
    // of fib's calls into a loop), so allow a few percent.
    for (const [f, x] of [
      ["collatz", 27],
      ["collatz", 871],
      ["fib", 15],
      ["fib", 20],
    ] as const) {
      const a = run(foreign, "c", f, x);
      const b = run(kpc, "k", f, x);
      assert.equal(a.value, b.value, `${f}(${x})`);
      assert.ok(b.fuel > 100, `${f}(${x}) costs ${b.fuel} in KP-C`);
      const ratio = a.fuel / b.fuel;
      assert.ok(ratio > 0.95 && ratio < 1.05, `${f}(${x}): clang ${a.fuel}, KP-C ${b.fuel}`);
    }
  });
});

describe("runProgram with foreign bytes (kplug run FILE.wasm)", () => {
  test("a shared library's main(argc, argv) runs with libc, given a header", () => {
    const bytes = clangWasm(
      `${API} extern int puts(const char *);
       API int main(int argc, char **argv) { for (int i = 1; i < argc; i++) puts(argv[i]); return argc; }`,
      "shared",
    );
    const r = runProgram("", {
      file: "p.wasm",
      module: bytes,
      args: ["one", "two"],
      header: "int puts(const char *); int main(int, char **);",
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, "one\ntwo\n");
  });

  test("a standalone main(argc, argv) gets argv in its own memory; faults are reported", () => {
    const bytes = clangWasm(
      `int main(int argc, char **argv) { int n = 0; while (argv[argc - 1][n]) n++; return n; }
       void loop(void) { for (;;) __asm__ volatile(""); }`,
      "standalone",
    );
    // clang names main(int, char **) __main_argc_argv; runProgram finds it.
    assert.equal(runProgram("", { file: "s.wasm", module: bytes, args: ["abcdefg"] }).exitCode, 7);
    const r = runProgram("", { file: "s.wasm", module: bytes, entry: "loop", fuel: 1e5 });
    assert.equal(r.exitCode, 1);
    assert.equal(r.fault?.kind, "fuel-exhausted");
    assert.match(
      r.stderr,
      /fuel exhausted in loop\(\) at wasm offset 0x[0-9a-f]+ \(plugin 's\.wasm'\)/,
    );
  });
});
