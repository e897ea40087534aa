// The hostile-plugin suite: each plugin tries to break out, corrupt, stall or exhaust the host.
// Every attempt must end in a typed fault (or a refused link), with the host, the plugin's own
// runtime and a neighbouring runtime all still working afterwards.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CompileError,
  type FaultKind,
  Kernel,
  LinkError,
  PluginFault,
} from "../../kernel/index.ts";

const kernel = new Kernel();
kernel.export("host_secret", "int host_secret(void)", () => 42);
const neighbour = kernel.createRuntime("neighbour", { allow: ["libc", "host_secret"] });
neighbour.add("n", "static int state = 5; int n_get(void) { return state; }");

interface Case {
  name: string;
  source: string;
  /** The fault expected from calling `attack()`. */
  fault: FaultKind;
}

const prelude = "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n";

const cases: Case[] = [
  {
    name: "read far past the memory",
    source: "int attack(void) { return *(int *)0x7ffffff0; }",
    fault: "out-of-bounds",
  },
  {
    name: "negative pointer",
    source: "int attack(void) { int *p = (int *)-8; return *p; }",
    fault: "out-of-bounds",
  },
  {
    name: "write through a negative pointer",
    source: "int attack(void) { *(int *)-4 = 1; return 0; }",
    fault: "out-of-bounds",
  },
  {
    name: "write past the memory",
    source: "int attack(void) { char *p = (char *)0x7fff0000; p[0] = 1; return 0; }",
    fault: "out-of-bounds",
  },
  {
    name: "memcpy past the memory",
    source: "int attack(void) { char b[4]; memcpy(b, b, 32 << 20); return b[0]; }",
    fault: "out-of-bounds",
  },
  {
    name: "memset past the memory",
    source: "int attack(void) { char b[4]; memset(b, 0, 32 << 20); return b[0]; }",
    fault: "out-of-bounds",
  },
  {
    // 2 GiB of copying costs 268M fuel units: refused before a byte is touched.
    name: "huge memcpy",
    source: "int attack(void) { char b[4]; memcpy(b, b, 0x7fffffff); return b[0]; }",
    fault: "fuel-exhausted",
  },
  {
    name: "huge memset",
    source: "int attack(void) { char b[4]; memset(b, 0, 0x40000000); return b[0]; }",
    fault: "fuel-exhausted",
  },
  {
    name: "memmove from a wild pointer",
    source: "int attack(void) { char b[4]; memmove(b, (char *)-100, 16); return b[0]; }",
    fault: "out-of-bounds",
  },
  {
    name: "walking off the end of memory",
    source:
      "int attack(void) { char *p = malloc(16); int s = 0; while (1) { s += *p; p += 4096; } return s; }",
    fault: "out-of-bounds",
  },
  {
    name: "strcpy over the end of memory",
    source: 'int attack(void) { char *p = (char *)0x7ffffff0; strcpy(p, "abc"); return 0; }',
    fault: "out-of-bounds",
  },
  {
    name: "printf with a wild format",
    source: "int attack(void) { return printf((const char *)0x7ffffff0); }",
    fault: "out-of-bounds",
  },
  {
    name: "printf %s of a wild pointer",
    source: 'int attack(void) { return printf("%s", (char *)-1); }',
    fault: "out-of-bounds",
  },
  {
    name: "snprintf into a wild buffer",
    source: 'int attack(void) { return snprintf((char *)-64, 1000, "%d", 1); }',
    fault: "out-of-bounds",
  },
  {
    name: "forged function pointer",
    source: "int attack(void) { int (*f)(void) = (int (*)(void))0x1234; return f(); }",
    fault: "bad-indirect-call",
  },
  {
    name: "null function pointer",
    source: "int attack(void) { int (*f)(void) = 0; return f(); }",
    fault: "bad-indirect-call",
  },
  {
    name: "function pointer with the wrong signature",
    source:
      "static int one(int x) { return x; } int attack(void) { int (*g)(int) = one; double (*f)(double, double) = (double (*)(double, double))g; return (int)f(1, 2); }",
    fault: "bad-indirect-call",
  },
  {
    name: "negative table index",
    source: "int attack(void) { int (*f)(void) = (int (*)(void))-1; return f(); }",
    fault: "bad-indirect-call",
  },
  {
    name: "table index just past the plugin's slots",
    source:
      "static int one(void) { return 1; } int attack(void) { int (*f)(void) = one; f = (int (*)(void))((long)f + 1000); return f(); }",
    fault: "bad-indirect-call",
  },
  {
    name: "qsort with a forged comparator",
    source:
      "int attack(void) { int v[4] = {3, 1, 2, 0}; qsort(v, 4, sizeof v[0], (int (*)(const void *, const void *))77); return v[0]; }",
    fault: "bad-indirect-call",
  },
  {
    name: "qsort over the end of memory",
    source:
      "static int c(const void *a, const void *b) { return 0; } int attack(void) { qsort((void *)0x7ffffff0, 1000, 16, c); return 0; }",
    fault: "out-of-bounds",
  },
  {
    name: "deep recursion",
    source: "int attack(void) { volatile int x = 1; return x + attack(); }",
    fault: "stack-exhausted",
  },
  {
    name: "big stack frames",
    source: "int attack(void) { char big[100000]; big[0] = 1; return big[0] + attack(); }",
    fault: "stack-exhausted",
  },
  {
    name: "endless recursion through a function pointer",
    source:
      "static int (*volatile self)(void); static int r(void) { return self() + 1; } int attack(void) { self = r; return r(); }",
    fault: "stack-exhausted",
  },
  { name: "infinite for", source: "int attack(void) { for (;;) {} }", fault: "fuel-exhausted" },
  {
    name: "counted loop stepping over its bound",
    source: "int attack(void) { int s = 0; for (int i = 0; i != 10; i += 3) s += i; return s; }",
    fault: "fuel-exhausted",
  },
  {
    name: "counted loop with a zero step",
    source:
      "int attack(void) { volatile int step = 0; int s = 0; for (int i = 0; i < 10; i += step) s++; return s; }",
    fault: "fuel-exhausted",
  },
  {
    name: "unsigned countdown that never goes below zero",
    source: "int attack(void) { int s = 0; for (unsigned i = 10; i >= 0; i--) s++; return s; }",
    fault: "fuel-exhausted",
  },
  {
    name: "while loop spinning on continue",
    source:
      "int attack(void) { int i = 0; while (i < 10) { if (i == 5) continue; i++; } return i; }",
    fault: "fuel-exhausted",
  },
  {
    name: "state machine switching forever",
    source:
      "int attack(void) { int st = 0; for (;;) { switch (st) { case 0: st = 1; break; case 1: st = 2; break; default: st = 0; } } return st; }",
    fault: "fuel-exhausted",
  },
  {
    name: "endless comparator called back by the host's qsort",
    source:
      "static int c(const void *a, const void *b) { for (;;) {} return 0; } int attack(void) { int v[2] = {2, 1}; qsort(v, 2, sizeof v[0], c); return v[0]; }",
    fault: "fuel-exhausted",
  },
  {
    name: "infinite while",
    source: "int attack(void) { int i = 0; while (1) i++; return i; }",
    fault: "fuel-exhausted",
  },
  {
    name: "infinite do-while",
    source: "int attack(void) { int i = 0; do { i++; } while (i != 0 || 1); return i; }",
    fault: "fuel-exhausted",
  },
  {
    name: "infinite goto",
    source: "int attack(void) { int i = 0; again: i++; goto again; return i; }",
    fault: "fuel-exhausted",
  },
  {
    name: "goto into a loop body, forever (CFG lowering)",
    source: "int attack(void) { int i = 0; goto in; while (i < 10) { i++; in: i--; } return i; }",
    fault: "fuel-exhausted",
  },
  {
    name: "empty goto cycle into a block (CFG lowering)",
    source: "int attack(void) { volatile int x = 0; if (x) { l: goto l; } goto l; }",
    fault: "fuel-exhausted",
  },
  {
    name: "two loops entering each other, forever (irreducible)",
    source:
      "int attack(void) { volatile int x = 1; int n = 0; if (x) goto b; a: n++; { b: n--; if (x) goto a; } return n; }",
    fault: "fuel-exhausted",
  },
  {
    name: "counted loop re-entered by a goto from after it",
    source:
      "int attack(void) { int s = 0, i; for (i = 0; i < 10; i++) { in: s += i; } i = 0; goto in; return s; }",
    fault: "fuel-exhausted",
  },
  {
    name: "Duff's device whose count never runs out",
    source:
      "int attack(void) { volatile int n = 5; int s = 0; switch (n % 4) { case 0: do { s++; case 3: s++; case 2: s++; case 1: s++; } while (n > 0); } return s; }",
    fault: "fuel-exhausted",
  },
  {
    name: "mutual recursion without end",
    source:
      "int pong(int n); int ping(int n) { return pong(n + 1); } int pong(int n) { return ping(n); } int attack(void) { return ping(0); }",
    fault: "stack-exhausted",
  },
  {
    name: "mutual recursion in an endless loop",
    source:
      "int pong(int n); int ping(int n) { return n > 100 ? n : pong(n + 1); } int pong(int n) { return ping(n); } int attack(void) { int s = 0; for (;;) s += ping(0); return s; }",
    fault: "fuel-exhausted",
  },
  {
    name: "nested loops",
    source:
      "int attack(void) { long long s = 0; for (int i = 0; ; i++) for (int j = 0; j < 1000000; j++) s += j; return (int)s; }",
    fault: "fuel-exhausted",
  },
  {
    name: "divide by zero",
    source: "int attack(void) { volatile int z = 0; return 1 / z; }",
    fault: "divide-by-zero",
  },
  {
    name: "INT_MIN / -1",
    source: "int attack(void) { volatile int a = -2147483647 - 1, b = -1; return a / b; }",
    fault: "divide-by-zero",
  },
  {
    name: "free of a forged pointer",
    source: "int attack(void) { free((void *)4096); return 0; }",
    fault: "abort",
  },
  {
    name: "double free",
    source: "int attack(void) { void *p = malloc(10); free(p); free(p); return 0; }",
    fault: "abort",
  },
  { name: "abort", source: "int attack(void) { abort(); return 0; }", fault: "abort" },
];

describe("hostile plugins", () => {
  const rt = kernel.createRuntime("hostile", {
    allow: ["libc"],
    fuel: 5_000_000,
    memory: 4 << 20,
    quarantine: false,
    stdout: () => {},
  });
  rt.add("canary", "static int v = 7; int canary(void) { return v; }");
  for (const c of cases) {
    test(c.name, () => {
      rt.add("attacker", prelude + c.source);
      try {
        assert.throws(
          () => rt.call("attack"),
          (e: unknown) => e instanceof PluginFault && e.kind === c.fault && e.plugin === "attacker",
        );
      } finally {
        rt.remove("attacker");
      }
      assert.equal(rt.call("canary"), 7, "the runtime still works");
      assert.equal(neighbour.call("n_get"), 5, "the neighbour runtime is untouched");
    });
  }

  test("allocation bomb gets NULL, not the host's memory", () => {
    rt.add(
      "bomb",
      `${prelude}int bomb(void) { int n = 0; while (malloc(1 << 20)) n++; return n; }`,
    );
    const n = rt.call("bomb") as number;
    assert.ok(n >= 1 && n < 4, `got ${n} MiB in a 4 MiB runtime`);
    rt.remove("bomb");
  });

  test("calloc overflow and a realloc bomb get NULL", () => {
    rt.add(
      "bomb",
      `${prelude}int overflow(void) { return calloc(0x10000, 0x10001) == 0; }
       int grow(void) { char *p = malloc(1); int n = 1, steps = 0; char *q;
         while ((q = realloc(p, n *= 2)) != 0) { p = q; steps++; } free(p); return steps; }`,
    );
    assert.equal(rt.call("overflow"), 1);
    const steps = rt.call("grow") as number;
    assert.ok(steps >= 10 && steps < 23, `${steps} doublings in a 4 MiB runtime`);
    rt.remove("bomb");
    assert.equal(rt.call("canary"), 7);
  });

  test("static data beyond the memory limit is refused at link time", () => {
    assert.throws(
      () => rt.add("fat", "static char big[64 << 20]; int attack(void) { return big[1]; }"),
      LinkError,
    );
    assert.equal(rt.call("canary"), 7);
  });

  test("a pointer into an unlinked plugin traps", () => {
    rt.add(
      "victim",
      "static int v(void) { return 1; } int (*victim_ptr(void))(void) { return v; }",
    );
    const stale = rt.call("victim_ptr") as number;
    rt.remove("victim");
    rt.add("caller", "int call_it(int (*f)(void)) { return f(); }");
    try {
      assert.throws(
        () => rt.call("call_it", stale),
        (e: unknown) => e instanceof PluginFault && e.kind === "bad-indirect-call",
      );
    } finally {
      rt.remove("caller");
    }
  });

  test("overwriting the fuel bookkeeping word forges nothing", () => {
    const forge =
      "int forge(void) { *(volatile int *)8 = -2000000000; int s = 0; for (int i = 0; i < 100; i++) s += i; return s; }";
    // The word lives in the NULL page: compiled code cannot even write it...
    rt.add("forger", forge);
    assert.throws(
      () => rt.call("forge"),
      (e) => e instanceof PluginFault && e.kind === "null-pointer",
    );
    rt.remove("forger");
    // ...and without null checks, writing it changes nothing either.
    rt.add("forger", forge, { nullChecks: false });
    assert.equal(rt.call("forge"), 4950);
    const used = rt.stats("forger").fuelUsed;
    assert.ok(used > 0 && used < 1000, `fuel used ${used}`);
    rt.remove("forger");
  });

  test("the same address in another runtime is that runtime's own memory", () => {
    const secret = neighbour.alloc(4);
    new DataView(secret.bytes.buffer, secret.bytes.byteOffset).setInt32(0, 0x5ec12e7, true);
    rt.add("peek", "int peek(int *p) { return *p; }");
    try {
      assert.notEqual(rt.call("peek", secret.ptr), 0x5ec12e7);
    } finally {
      rt.remove("peek");
      neighbour.free(secret);
    }
  });

  test("a recycled memory carries nothing of the destroyed runtime", () => {
    const options = { memory: 2 << 20, stack: 4096 };
    const a = kernel.createRuntime("old-client", options);
    const block = a.alloc(64);
    block.bytes.fill(0xab);
    const addr = block.ptr;
    const memory = a.memory;
    kernel.destroyRuntime("old-client");
    const b = kernel.createRuntime("new-client", options);
    try {
      assert.equal(b.memory, memory, "the pooled memory is reused");
      b.add("peek", "int peek(unsigned char *p) { return p[0] | p[63]; }");
      assert.equal(b.call("peek", addr), 0);
    } finally {
      kernel.destroyRuntime("new-client");
    }
  });

  test("a plugin declaring another plugin's function with another signature is refused", () => {
    assert.throws(
      () => rt.add("liar2", "double canary(double); int attack(void) { return (int)canary(1.0); }"),
      (e: unknown) => e instanceof LinkError && e.symbol === "canary",
    );
  });

  test("kernel exports not granted cannot be linked", () => {
    assert.throws(
      () => rt.add("thief", "int host_secret(void); int attack(void) { return host_secret(); }"),
      (e: unknown) => e instanceof LinkError && e.symbol === "host_secret",
    );
  });

  test("a lying declaration of a kernel export is refused", () => {
    assert.throws(
      () =>
        rt.add(
          "liar",
          "#include <stddef.h>\nvoid *memcpy(void *d, const void *s, int n, int extra); int attack(void) { return (int)memcpy(0, 0, 0, 0); }",
        ),
      // The compiler knows memcpy's prototype; a declaration whose wasm types differ is refused
      // before linking (one whose types agree would link under the library's signature).
      (e: unknown) =>
        e instanceof CompileError &&
        /conflicting types for built-in function 'memcpy'/.test(e.message),
    );
  });

  test("another runtime's plugin cannot be named", () => {
    assert.throws(
      () => rt.add("reach", "int n_get(void); int attack(void) { return n_get(); }"),
      LinkError,
    );
  });
});
