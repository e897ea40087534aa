import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compile } from "../../cc/compile.ts";
import {
  CompileError,
  Kernel,
  KernelError,
  LinkError,
  PluginFault,
  QuarantineError,
  UnlinkedSymbolError,
} from "../../kernel/index.ts";
import { adder, buildModule, sym } from "./modules.ts";

const kernel = new Kernel();
let counter = 0;
const fresh = (options: Parameters<Kernel["createRuntime"]>[1] = {}) =>
  kernel.createRuntime(`rt${++counter}`, { allow: ["libc"], ...options });

describe("life cycle", () => {
  test("add, call, remove, destroy", () => {
    const rt = fresh();
    rt.add("math", "int add(int a, int b) { return a + b; }\nint twice(int x) { return 2 * x; }");
    assert.deepEqual(rt.pluginNames, ["math"]);
    assert.equal(rt.call("add", 2, 40), 42);
    const twice = rt.lookup("twice");
    assert.equal(twice(21), 42);
    rt.remove("math");
    assert.throws(() => twice(1), UnlinkedSymbolError);
    assert.throws(() => rt.lookup("add"), UnlinkedSymbolError);
    // Linking it again revives existing handles.
    rt.add("math2", "int twice(int x) { return 3 * x; }");
    assert.equal(twice(2), 6);
    kernel.destroyRuntime(rt.name);
    assert.equal(kernel.runtime(rt.name), undefined);
    assert.throws(() => rt.add("x", "int f(void) { return 1; }"), KernelError);
  });

  test("compile errors carry diagnostics", () => {
    const rt = fresh();
    assert.throws(
      () => rt.add("bad", "int f(void) { return x; }"),
      (e: unknown) =>
        e instanceof CompileError &&
        e.diagnostics.length > 0 &&
        e.diagnostics[0]!.line === 1 &&
        e.message.includes("bad.c:1:"),
    );
    assert.deepEqual(rt.pluginNames, []);
  });

  test("a compiled module can be linked into several runtimes", () => {
    const r = compile("static int n; int bump(void) { return ++n; }", { file: "bump.c" });
    assert.ok(r.ok);
    const a = fresh();
    const b = fresh();
    a.add("bump", r.module);
    b.add("bump", r.module);
    assert.equal(a.call("bump"), 1);
    assert.equal(a.call("bump"), 2);
    assert.equal(b.call("bump"), 1, "static data is per runtime");
  });

  test("i64, float and double arguments cross the upcall boundary", () => {
    const rt = fresh();
    rt.add(
      "mix",
      "long long mul(long long a, int b) { return a * b; }\n" +
        "double avg(double a, float b) { return (a + b) / 2; }",
    );
    assert.equal(rt.call("mul", 1n << 40n, 3), 3n << 40n);
    assert.equal(rt.call("avg", 1.5, 2.5), 2);
  });
});

describe("kernel exports", () => {
  test("C signatures are parsed and callbacks called with their arguments", () => {
    const k = new Kernel();
    const seen: string[] = [];
    k.export("host_log", "void host_log(const char *msg, int level)", () => {});
    k.exportFactory(
      "host_log",
      "void host_log(const char *msg, int level)",
      (rt) => (p: number, l: number) => {
        seen.push(`${l}:${rt.readString(p)}`);
      },
    );
    k.export(
      "host_scale",
      "unsigned char host_scale(unsigned char v, double f)",
      (v: number, f: number) => Math.min(255, Math.round(v * f)),
    );
    const rt = k.createRuntime("r", { allow: ["host_*"] });
    rt.add(
      "p",
      `void host_log(const char *msg, int level);
       unsigned char host_scale(unsigned char v, double f);
       int run(void) { host_log("hello", 3); return host_scale(100, 1.5); }`,
    );
    assert.equal(rt.call("run"), 150);
    assert.deepEqual(seen, ["3:hello"]);
  });

  test("an export whose declaration names another function is refused", () => {
    assert.throws(
      () => new Kernel({ libc: false }).export("a", "int b(void)", () => 0),
      KernelError,
    );
  });
});

describe("link errors", () => {
  test("unresolved symbol", () => {
    const rt = fresh();
    assert.throws(
      () => rt.add("p", "int missing(int); int f(void) { return missing(1); }"),
      (e: unknown) =>
        e instanceof LinkError &&
        e.symbol === "missing" &&
        /undefined symbol 'missing'/.test(e.message),
    );
    assert.deepEqual(rt.pluginNames, []);
  });

  test("signature mismatch names both signatures", () => {
    const rt = fresh();
    rt.add("lib", "int scale(int x, int y) { return x * y; }");
    assert.throws(
      () => rt.add("user", "int scale(int x); int f(void) { return scale(2); }"),
      (e: unknown) =>
        e instanceof LinkError &&
        e.symbol === "scale" &&
        e.expected === "int (int)" &&
        e.actual === "int (int, int)" &&
        e.message.includes("int (int, int)") &&
        e.message.includes("int (int)"),
    );
  });

  test("kernel export not granted", () => {
    const rt = kernel.createRuntime(`nolibc${++counter}`, { allow: [] });
    assert.throws(
      () => rt.add("p", '#include <stdio.h>\nint f(void) { return puts("x"); }'),
      (e: unknown) =>
        e instanceof LinkError && e.symbol === "puts" && /not granted/.test(e.message),
    );
  });

  test("libc signature mismatch against the kernel's declaration", () => {
    const rt = fresh();
    assert.throws(
      // Wasm types differ (f64 against i32), so this cannot link under the library's signature:
      // the compiler, which knows the prototype, refuses it before the linker would.
      () => rt.add("p", "double strlen(double); int f(void) { return (int)strlen(3); }"),
      (e: unknown) =>
        (e instanceof LinkError && e.symbol === "strlen") ||
        (e instanceof Error && /conflicting types for built-in function 'strlen'/.test(e.message)),
    );
  });

  test("duplicate symbols", () => {
    const rt = fresh();
    rt.add("a", "int f(void) { return 1; }");
    assert.throws(
      () => rt.add("b", "int f(void) { return 2; }"),
      (e: unknown) =>
        e instanceof LinkError && e.symbol === "f" && /duplicate symbol 'f'.*'a'/.test(e.message),
    );
    assert.throws(() => rt.add("a", "int g(void) { return 1; }"), KernelError);
    assert.equal(rt.call("f"), 1);
  });

  test("symbols of another runtime cannot be reached", () => {
    const a = fresh();
    const b = fresh();
    a.add("secret", "int secret(void) { return 42; }");
    assert.throws(
      () => b.add("thief", "int secret(void); int f(void) { return secret(); }"),
      LinkError,
    );
    assert.throws(() => b.lookup("secret"), UnlinkedSymbolError);
  });
});

describe("plugin to plugin", () => {
  test("extern calls go straight to the other plugin", () => {
    const rt = fresh();
    rt.add("luma", "int luma(int r, int g, int b) { return (77 * r + 150 * g + 29 * b) >> 8; }");
    rt.add(
      "gray",
      "int luma(int r, int g, int b); int gray(int rgb) { return luma(rgb >> 16 & 255, rgb >> 8 & 255, rgb & 255); }",
    );
    assert.equal(rt.call("gray", 0xffffff), 255);
    assert.equal(rt.call("gray", 0x000000), 0);
  });

  test("remove is refused while others import, unless cascading", () => {
    const rt = fresh();
    rt.add("base", "int base(void) { return 1; }");
    rt.add("mid", "int base(void); int mid(void) { return base() + 1; }");
    rt.add("top", "int mid(void); int top(void) { return mid() + 1; }");
    rt.add("other", "int other(void) { return 9; }");
    assert.throws(
      () => rt.remove("base"),
      (e: unknown) =>
        e instanceof KernelError && /'mid'/.test(e.message) && /cascade/.test(e.message),
    );
    assert.equal(rt.call("top"), 3);
    rt.remove("top");
    rt.remove("base", { cascade: true });
    assert.deepEqual(rt.pluginNames, ["other"]);
  });
});

describe("hot swap", () => {
  test("replace: handles follow, dependents are relinked with their data kept", () => {
    const rt = fresh();
    rt.add("impl", "int op(int x) { return x + 1; }");
    rt.add(
      "user",
      "int op(int x); static int calls; int use(int x) { calls++; return op(x) * 100 + calls; }",
    );
    const use = rt.lookup("use");
    const op = rt.lookup("op");
    assert.equal(use(1), 201);
    rt.replace("impl", "int op(int x) { return x * 10; }");
    assert.equal(op(5), 50);
    assert.equal(use(1), 1002, "the dependent calls the new code and keeps its static counter");
    assert.throws(
      () => rt.replace("impl", "int op(int x, int y) { return x * y; }"),
      (e: unknown) => e instanceof LinkError && e.symbol === "op",
    );
    assert.throws(() => rt.replace("impl", "int other(int x) { return x; }"), LinkError);
    assert.equal(op(5), 50, "a refused replace changes nothing");
  });

  test("a call in flight finishes on the old code; the next call sees the new code", () => {
    const k = new Kernel();
    let swapped = false;
    k.exportFactory("swap_now", "void swap_now(void)", (rt) => () => {
      if (swapped) return;
      swapped = true;
      rt.replace("p", "void swap_now(void); int version(void) { swap_now(); return 2; }");
    });
    const rt = k.createRuntime("r", { allow: ["swap_now"] });
    rt.add("p", "void swap_now(void); int version(void) { swap_now(); return 1; }");
    const version = rt.lookup("version");
    assert.equal(version(), 1, "the swapping call returns from the old code");
    assert.equal(version(), 2);
  });

  test("many async callers during repeated swaps always see a complete version", async () => {
    const rt = fresh();
    const src = (v: number) => `int a(void) { return ${v}; } int b(void) { return ${v} * 1000; }`;
    rt.add("v", src(0));
    const a = rt.lookup("a");
    const b = rt.lookup("b");
    let version = 0;
    const callers = Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 200; i++) {
        const x = a() as number;
        const y = b() as number;
        assert.equal(y, x * 1000, "both symbols come from the same version between awaits");
        assert.ok(x <= version);
        await new Promise((r) => setImmediate(r));
      }
    });
    const swapper = (async () => {
      for (let i = 1; i <= 50; i++) {
        rt.replace("v", src(i));
        version = i;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all([...callers, swapper]);
    assert.equal(a(), 50);
  });
});

describe("faults and quarantine", () => {
  test("faults are typed, counted, and the runtime stays usable", () => {
    const rt = fresh({ fuel: 100_000, quarantine: false });
    rt.add(
      "p",
      `int ok(int x) { return x + 1; }
       int oob(void) { int *p = (int *)0x7ffffff0; return *p; }
       int div(int x) { return 100 / x; }
       int spin(void) { for (;;) {} }
       int deep(int n) { return n == 0 ? 0 : deep(n - 1) + 1; }
       int bad(void) { int (*f)(int) = (int (*)(int))12345; return f(1); }`,
    );
    const kinds: string[] = [];
    for (const [fn, args] of [
      ["oob", []],
      ["div", [0]],
      ["spin", []],
      ["deep", [100_000_000]],
      ["bad", []],
    ] as const) {
      try {
        rt.call(fn, ...args);
        assert.fail(`${fn} should fault`);
      } catch (e) {
        assert.ok(e instanceof PluginFault, String(e));
        assert.equal(e.runtime, rt.name);
        assert.equal(e.plugin, "p");
        kinds.push(e.kind);
      }
    }
    assert.deepEqual(kinds, [
      "out-of-bounds",
      "divide-by-zero",
      "fuel-exhausted",
      "stack-exhausted",
      "bad-indirect-call",
    ]);
    assert.equal(rt.call("ok", 1), 2);
    assert.equal(rt.call("deep", 1000), 1000, "the shadow stack was recovered");
    const stats = rt.stats("p");
    assert.equal(stats.faults["divide-by-zero"], 1);
    assert.ok(stats.calls >= 2);
  });

  test("code without loops or calls is classified right after a fuel fault", () => {
    // Such code is called without a fuel reset, so a stale negative fuel must not leak into
    // the classification of its stack overflow.
    const rt = fresh({ fuel: 1000, quarantine: false });
    rt.add("spinner", "int spin(void) { for (;;) {} }");
    rt.add("fat", "int big(int i) { int a[100000]; a[i] = i; return a[i]; }");
    const kinds: string[] = [];
    for (const fn of ["spin", "big"]) {
      assert.throws(
        () => rt.call(fn, 1),
        (e: unknown) => e instanceof PluginFault && kinds.push(e.kind) > 0,
      );
    }
    assert.deepEqual(kinds, ["fuel-exhausted", "stack-exhausted"]);
  });

  test("fuel bookkeeping survives a memory grown behind the runtime's back", () => {
    const rt = fresh();
    rt.add("p", "int loop(int n) { int s = 0; for (int i = 0; i < n; i++) s += i; return s; }");
    const loop = rt.lookup("loop");
    assert.equal(loop(10), 45);
    const before = rt.stats("p").fuelUsed;
    assert.ok(before > 0);
    rt.memory.grow(1);
    assert.equal(loop(10), 45);
    assert.equal(rt.stats("p").fuelUsed, 2 * before);
    assert.equal(rt.stats("p").calls, 2);
  });

  test("a plugin faulting too often is quarantined until reinstated", () => {
    const quarantined: string[] = [];
    const rt = fresh({
      quarantine: { faults: 3, windowMs: 60_000 },
      onQuarantine: (p) => quarantined.push(p),
    });
    rt.add("flaky", "int f(int x) { return 10 / x; }");
    const f = rt.lookup("f");
    for (let i = 0; i < 3; i++) assert.throws(() => f(0), PluginFault);
    assert.deepEqual(quarantined, ["flaky"]);
    assert.throws(() => f(1), QuarantineError);
    assert.equal(rt.stats("flaky").disabled, true);
    rt.reinstate("flaky");
    assert.equal(f(5), 2);
  });

  test("the unlink policy removes the plugin", () => {
    const rt = fresh({ quarantine: { faults: 1, action: "unlink" } });
    rt.add("flaky", "int f(int x) { return 10 / x; }");
    assert.throws(() => rt.call("f", 0), PluginFault);
    assert.deepEqual(rt.pluginNames, []);
  });
});

describe("memory", () => {
  test("alloc views stay valid after the memory grows", () => {
    const rt = fresh();
    rt.add(
      "p",
      `#include <stdlib.h>
       int sum(unsigned char *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
       int grow(void) { return malloc(8 << 20) != 0; }`,
    );
    const buf = rt.alloc(16);
    buf.bytes.set([1, 2, 3, 4]);
    const before = rt.memory.buffer.byteLength;
    assert.equal(rt.call("grow"), 1);
    assert.ok(rt.memory.buffer.byteLength > before, "memory grew");
    assert.equal(buf.bytes.length, 16);
    buf.bytes[4] = 10;
    assert.equal(rt.call("sum", buf.ptr, 16), 20);
    rt.free(buf);
  });

  test("malloc returns NULL beyond the memory limit", () => {
    const rt = fresh({ memory: 1 << 20 });
    rt.add(
      "bomb",
      `#include <stdlib.h>
       int bomb(void) { int n = 0; while (malloc(64 << 10)) n++; return n; }`,
    );
    const n = rt.call("bomb") as number;
    assert.ok(n > 5 && n < 16, `allocated ${n} blocks of 64 KiB within 1 MiB`);
    assert.ok(rt.memory.buffer.byteLength <= 1 << 20);
    assert.throws(() => rt.alloc(1 << 20), RangeError);
  });

  test("a host callback can read and write plugin memory in place", () => {
    const k = new Kernel();
    k.exportFactory(
      "fill",
      "void fill(unsigned char *p, int n)",
      (rt) => (p: number, n: number) => {
        rt.view().fill(7, p, p + n);
      },
    );
    const rt = k.createRuntime("r", { allow: ["fill"] });
    rt.add(
      "p",
      "void fill(unsigned char *p, int n); int f(void) { unsigned char b[8]; fill(b, 8); return b[0] + b[7]; }",
    );
    assert.equal(rt.call("f"), 14);
  });
});

describe("hand-built modules", () => {
  test("static data is placed, zeroed and initialized per plugin", () => {
    const rt = fresh();
    const m = buildModule({
      data: new Uint8Array([5, 0, 0, 0]),
      dataSize: 64,
      functions: [
        {
          name: "get",
          signature: "int (int)",
          params: ["i32"],
          results: ["i32"],
          body: (c) => {
            c.globalGet(1).localGet(0).op("i32_add").mem("i32_load", 2, 0);
          },
        },
      ],
    });
    rt.add("d", m);
    assert.equal(rt.call("get", 0), 5);
    assert.equal(rt.call("get", 60), 0);
  });

  test("function tables are per runtime and slots are released", () => {
    const rt = fresh();
    const m = buildModule({
      table: ["seven"],
      functions: [
        {
          name: "seven",
          signature: "int (void)",
          params: [],
          results: ["i32"],
          exported: false,
          body: (c) => void c.i32Const(7),
        },
        adder("add"),
      ],
    });
    rt.add("t", m);
    assert.equal(rt.call("add", 1, 2), 3);
    const slotFn = rt.tableFunction(1);
    assert.equal(typeof slotFn, "function");
    rt.remove("t");
    assert.equal(rt.tableFunction(1), null);
  });

  test("an unmetered module still runs through handles", () => {
    const rt = fresh();
    rt.add("u", buildModule({ metered: false, functions: [adder("add", 1)] }));
    assert.equal(rt.call("add", 1, 1), 3);
    assert.ok(sym("x", "int (void)", [], ["i32"]));
  });

  test("a module that spends fuel but lacks F$entry points is refused, and nothing is linked", () => {
    const rt = fresh();
    const noEntries = { ...buildModule({ metered: false, functions: [adder("add", 1)] }) };
    noEntries.metered = true;
    assert.throws(
      () => rt.add("m", noEntries),
      (e: unknown) => {
        assert.ok(e instanceof KernelError);
        assert.match(e.message, /no 'add\$entry' entry point/);
        return true;
      },
    );
    assert.equal(rt.plugin("m"), undefined);
    rt.add("ok", buildModule({ functions: [adder("add", 1)] }));
    assert.equal(rt.call("add", 1, 1), 3);
  });
});
