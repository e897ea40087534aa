// setjmp/longjmp at the kernel's boundaries (the C patterns themselves are the differential
// program test/programs/setjmp_patterns.c): a longjmp no running frame owns is a `longjmp`
// fault, never a resumption of another frame; the re-entry loop charges fuel; catches pass
// every other exception untouched; a longjmp crosses plugin boundaries within a runtime.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { compile } from "../../cc/compile.ts";
import { HOST_COSTS } from "../../kernel/fuel.ts";
import { CompileError, Kernel, PluginFault } from "../../kernel/index.ts";
import { runProgram } from "../../kernel/program.ts";
import { gccRun } from "./gcc.ts";

const kernel = new Kernel();
let counter = 0;
const fresh = (options: Parameters<Kernel["createRuntime"]>[1] = {}) =>
  kernel.createRuntime(`sj${++counter}`, { allow: ["libc"], ...options });

function fault(f: () => unknown): PluginFault {
  try {
    f();
  } catch (e) {
    if (e instanceof PluginFault) return e;
    throw e;
  }
  assert.fail("expected a PluginFault");
}

describe("a longjmp no running frame owns", () => {
  const source = `
    #include <setjmp.h>
    static jmp_buf stale;
    static int armed;
    static void arm(void) { if (setjmp(stale)) armed = -1; else armed = 1; }
    /* Same depth as arm's frame, same site number: only the invocation id tells them apart. */
    static int other(void) {
      jmp_buf mine;
      if (setjmp(mine)) return 99;
      longjmp(stale, 1);
      return 0;
    }
    int after_return(void) { arm(); return other(); }
    int never_set(void) { jmp_buf b = {0}; longjmp(b, 3); return 0; }
    int null_buf(void) { longjmp(0, 1); return 0; }
    int add(int a, int b) { return a + b; }
  `;

  test("to a frame that returned: a longjmp fault, not another frame resumed", () => {
    const rt = fresh();
    rt.add("p", source);
    const f = fault(() => rt.call("after_return"));
    assert.equal(f.kind, "longjmp");
    assert.equal(f.function, "other");
    assert.equal(rt.call("add", 2, 3), 5); // the runtime goes on
  });

  test("to a buffer no setjmp saved", () => {
    const rt = fresh();
    rt.add("p", source);
    assert.equal(fault(() => rt.call("never_set")).kind, "longjmp");
    assert.equal(fault(() => rt.call("null_buf")).kind, "null-pointer");
  });
});

describe("fuel and other exceptions", () => {
  test("an endless longjmp loop runs out of fuel", () => {
    const rt = fresh({ fuel: 100_000 });
    rt.add(
      "p",
      `#include <setjmp.h>
       int spin(void) { jmp_buf b; setjmp(b); longjmp(b, 1); return 0; }`,
    );
    assert.equal(fault(() => rt.call("spin")).kind, "fuel-exhausted");
  });

  test("each longjmp is charged for its host work, so a budget bounds how many run", () => {
    // A longjmp costs V8 ~10-15 µs (the exception and its stack trace): one unit a jump made a
    // 50M budget last minutes. The count a budget allows is at most budget / HOST_COSTS.longjmp.
    const budget = 1_000_000;
    const rt = fresh({ fuel: budget });
    rt.add(
      "p",
      `#include <setjmp.h>
       static volatile int jumps;
       int count(void) { return jumps; }
       int spin(void) { jmp_buf b; setjmp(b); jumps++; longjmp(b, 1); return 0; }`,
    );
    assert.equal(fault(() => rt.call("spin")).kind, "fuel-exhausted");
    const jumps = rt.call("count") as number;
    assert.ok(jumps >= 1 && jumps <= budget / HOST_COSTS.longjmp + 1, `${jumps} longjmps`);
  });

  test("a setjmp frame's catch lets traps and fuel exhaustion through", () => {
    const rt = fresh({ fuel: 100_000 });
    rt.add(
      "p",
      `#include <setjmp.h>
       static int zero;
       static int divide(int x) { return x / zero; }
       static void forever(void) { for (;;) zero = 0; }
       int guarded_divide(int x) { jmp_buf b; if (setjmp(b)) return -1; return divide(x); }
       int guarded_loop(void) { jmp_buf b; if (setjmp(b)) return -1; forever(); return 0; }`,
    );
    assert.equal(fault(() => rt.call("guarded_divide", 7)).kind, "divide-by-zero");
    assert.equal(fault(() => rt.call("guarded_loop")).kind, "fuel-exhausted");
  });
});

describe("across plugins", () => {
  const thrower = `#include <setjmp.h>
    void fail_with(jmp_buf env, int v) { if (v >= 0) longjmp(env, v); }`;
  const catcher = `#include <setjmp.h>
    void fail_with(jmp_buf env, int v);
    int attempt(int v) {
      char pad[100];
      volatile int tries = 0;
      jmp_buf b;
      pad[0] = 1;
      int r = setjmp(b);
      tries++;
      if (r) return r * 100 + tries + pad[0];
      fail_with(b, v);
      return -tries;
    }`;

  test("plugin A's setjmp catches plugin B's longjmp, as in one gcc program", () => {
    const oracle = gccRun(
      `${thrower}\n${catcher.replace("#include <setjmp.h>", "")}
       #include <stdio.h>
       int main(void) { printf("%d %d %d\\n", attempt(3), attempt(0), attempt(-1)); return 0; }`,
    );
    assert.ok(oracle, "gcc -m32 is needed for this test");
    const rt = fresh();
    rt.add("b", thrower);
    rt.add("a", catcher);
    const got = `${rt.call("attempt", 3)} ${rt.call("attempt", 0)} ${rt.call("attempt", -1)}\n`;
    assert.equal(got, oracle.stdout);
  });

  test("a longjmp from plugin B with no setjmp frame in A is a longjmp fault", () => {
    const rt = fresh();
    rt.add("b", thrower);
    rt.add(
      "a",
      `#include <setjmp.h>
       void fail_with(jmp_buf env, int v);
       static jmp_buf gone;
       static void arm(void) { setjmp(gone); }
       int late(void) { arm(); fail_with(gone, 2); return 0; }`,
    );
    const f = fault(() => rt.call("late"));
    assert.equal(f.kind, "longjmp");
    assert.equal(f.function, "fail_with"); // where longjmp was called, in plugin b
    assert.equal(f.backtrace.find((fr) => fr.function === "fail_with")?.plugin, "b");
    assert.match(f.message, /no running setjmp frame saved this jmp_buf/);
  });
});

describe("through a host function's nested upcall", () => {
  test("a longjmp out of a nested upcall reaches the setjmp frame outside it", () => {
    const k = new Kernel();
    let inner: ((n: number) => number) | undefined;
    k.export("call_back", "int call_back(int n)", (n: number) => inner!(n) + 1000);
    const rt = k.createRuntime("nested", { allow: ["libc", "call_back"], fuel: 1_000_000 });
    rt.add(
      "p",
      `#include <setjmp.h>
       int call_back(int n);
       static jmp_buf g;
       int inner(int n) { if (n > 0) longjmp(g, n); return 5; }
       int outer(int n) { int r = setjmp(g); if (r) return -r; return call_back(n); }`,
    );
    inner = rt.lookup("inner");
    assert.equal(rt.call("outer", 0), 1005); // no longjmp: the host's result
    assert.equal(rt.call("outer", 3), -3); // past the host function, into outer's catch
    // Called on its own, the same longjmp finds outer's frame gone: a fault at the gate.
    assert.equal(fault(() => rt.call("inner", 2)).kind, "longjmp");
    assert.equal(rt.call("outer", 0), 1005);
  });
});

describe("atexit handlers after main returned", () => {
  test("a stale longjmp or a trap in one is a fault of the program, not a host error", () => {
    const stale = runProgram(`#include <setjmp.h>
      #include <stdio.h>
      #include <stdlib.h>
      static jmp_buf b;
      static void h(void) { printf("handler\\n"); longjmp(b, 1); }
      static void arm(void) { setjmp(b); }
      int main(void) { arm(); atexit(h); return 0; }`);
    assert.equal(stale.stdout, "handler\n");
    assert.equal(stale.exitCode, 1);
    assert.equal(stale.fault?.kind, "longjmp");
    const trap = runProgram(`#include <stdlib.h>
      static int z;
      static int r;
      static void h(void) { r = 1 / z; }
      int main(void) { atexit(h); return 0; }`);
    assert.equal(trap.fault?.kind, "divide-by-zero");
  });

  test("a longjmp from one back into main, while exit() runs it, resumes main as in gcc", () => {
    const source = `#include <setjmp.h>
      #include <stdio.h>
      #include <stdlib.h>
      static jmp_buf b;
      static void h(void) { printf("handler\\n"); longjmp(b, 1); }
      int main(void) {
        if (setjmp(b)) { printf("back in main\\n"); return 3; }
        atexit(h);
        exit(0);
      }`;
    const oracle = gccRun(source);
    assert.ok(oracle, "gcc -m32 is needed for this test");
    const r = runProgram(source);
    assert.deepEqual([r.stdout, r.exitCode], [oracle.stdout, oracle.status]);
  });
});

describe("compile modes", () => {
  test("the patterns program agrees with gcc without fuel, without null checks, on a small stack", () => {
    const url = new URL("../programs/setjmp_patterns.c", import.meta.url);
    const source = readFileSync(url, "utf8");
    const oracle = gccRun(source);
    assert.ok(oracle, "gcc -m32 is needed for this test");
    for (const options of [{ fuel: 0 }, { nullChecks: false }, { stack: 8192 }]) {
      const r = runProgram(source, options);
      assert.deepEqual(
        [r.stdout, r.exitCode],
        [oracle.stdout, oracle.status],
        JSON.stringify(options),
      );
    }
  });
});

describe("compile-time limits", () => {
  const error = (source: string): string => {
    const r = compile(source, { file: "t.c" });
    assert.equal(r.ok, false);
    return r.diagnostics.map((d) => d.message).join("\n");
  };

  test("setjmp outside the contexts C11 7.13.1.1 allows", () => {
    const m = error(`#include <setjmp.h>
      int f(jmp_buf b) { int x = 1; x = setjmp(b) + 1; return x; }`);
    assert.match(m, /setjmp may only be/);
    assert.match(
      error(`#include <setjmp.h>\nint f(jmp_buf b) { return setjmp(b); }`),
      /setjmp may only be/,
    );
  });

  test("the address of setjmp", () => {
    const m = error(`#include <setjmp.h>
      int (*p)(jmp_buf) = &setjmp;
      int f(void) { return p != 0; }`);
    assert.match(m, /address of setjmp/);
  });

  test("a plugin with setjmp is refused nowhere, a foreign module with try is (verify.test.ts)", () => {
    const rt = fresh();
    assert.doesNotThrow(() =>
      rt.add(
        "p",
        `#include <setjmp.h>\nint f(void) { jmp_buf b; if (setjmp(b)) return 1; return 0; }`,
      ),
    );
    assert.throws(
      () => rt.add("q", `#include <setjmp.h>\nint g(jmp_buf b) { return 1 + setjmp(b); }`),
      CompileError,
    );
  });
});

describe("the bounds probe", () => {
  test("a fault after a longjmp is replayed and located like any other", () => {
    const r = runProgram(`#include <setjmp.h>
      #include <stdio.h>
      static jmp_buf b;
      static void up(void) { longjmp(b, 4); }
      int main(void) {
        volatile int n = 0;
        if (setjmp(b) == 0) up();
        int *far = (int *)0x7ffffff0;
        printf("back\\n");
        return far[n];
      }`);
    assert.equal(r.stdout, "back\n");
    assert.equal(r.fault?.kind, "out-of-bounds");
    assert.equal(r.fault?.access?.address, 0x7ffffff0);
  });
});
