// The hostile-plugin suite: each plugin tries to break out, corrupt, stall or exhaust the host.
// Every attempt must end in a typed fault (or a refused link), with the host, the plugin's own
// runtime and a neighbouring runtime all still working afterwards.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type FaultKind, Kernel, LinkError, PluginFault } from "../../kernel/index.ts";

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
    name: "write past the memory",
    source: "int attack(void) { char *p = (char *)0x7fff0000; p[0] = 1; return 0; }",
    fault: "out-of-bounds",
  },
  {
    name: "huge memcpy",
    source: "int attack(void) { char b[4]; memcpy(b, b, 0x7fffffff); return b[0]; }",
    fault: "out-of-bounds",
  },
  {
    name: "huge memset",
    source: "int attack(void) { char b[4]; memset(b, 0, 0x40000000); return b[0]; }",
    fault: "out-of-bounds",
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
  { name: "infinite for", source: "int attack(void) { for (;;) {} }", fault: "fuel-exhausted" },
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
      (e: unknown) => e instanceof LinkError && e.symbol === "memcpy",
    );
  });

  test("another runtime's plugin cannot be named", () => {
    assert.throws(
      () => rt.add("reach", "int n_get(void); int attack(void) { return n_get(); }"),
      LinkError,
    );
  });
});
