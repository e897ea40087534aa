// Host work is paid for: a plugin looping over a libc function that does much work per call
// (memset of a megabyte, qsort, printf of a wide field, ...) runs out of fuel after about as
// many iterations as its budget pays for, not after budget / 2 calls. Also: printf's width and
// precision bombs never make the host build what they ask for, a JS error thrown by a host
// function is a `host-error` fault that counts towards quarantine, and a shared budget spans
// several upcalls.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Kernel, PluginFault, QuarantineError, runProgram } from "../../kernel/index.ts";

const BUDGET = 5_000_000;
const kernel = new Kernel();

const prelude = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int iters;
int get_iters(void) { return iters; }
static int by_value(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
`;

interface Case {
  name: string;
  /** Body of `int attack(char *big)`: loops forever, counting `iters`. `big` has 4 MiB. */
  body: string;
  /** Fuel units one iteration costs at least (from the costs documented in kernel/fuel.ts). */
  minCost: number;
}

const MiB = 1 << 20;
const cases: Case[] = [
  { name: "memset", body: "for (;;) { memset(big, iters, 1 << 20); iters++; }", minCost: MiB / 8 },
  {
    name: "memcpy",
    body: "for (;;) { memcpy(big, big + (2 << 20), 1 << 20); iters++; }",
    minCost: MiB / 8,
  },
  {
    name: "memmove",
    body: "for (;;) { memmove(big + 1, big, 1 << 20); iters++; }",
    minCost: MiB / 8,
  },
  {
    name: "strlen",
    body: "memset(big, 'a', 1 << 20); big[1 << 20] = 0; for (;;) { iters += strlen(big) > 0; }",
    minCost: MiB / 8,
  },
  {
    name: "strchr",
    body: "memset(big, 'a', 1 << 20); big[1 << 20] = 0; for (;;) { iters += strchr(big, 'b') == 0; }",
    minCost: MiB / 8,
  },
  {
    name: "memcmp",
    body: "memset(big, 'a', 2 << 20); for (;;) { iters += memcmp(big, big + (1 << 20), 1 << 20) == 0; }",
    minCost: MiB / 8,
  },
  {
    name: "qsort",
    body: "int *v = (int *)big; for (int i = 0; i < 20000; i++) v[i] = i; for (;;) { qsort(v, 20000, sizeof(int), by_value); iters++; }",
    minCost: 19_999 * 16,
  },
  {
    name: "snprintf of a wide field",
    body: 'for (;;) { snprintf(big, 1 << 20, "%*d", 1 << 20, iters); iters++; }',
    minCost: MiB / 8,
  },
  {
    name: "printf of a wide field",
    body: 'for (;;) { printf("%*d", 1 << 20, iters); iters++; }',
    minCost: MiB,
  },
  {
    name: "printf of long floats",
    body: 'for (;;) { snprintf(big, 64, "%.1000f", 1e-300); iters++; }',
    minCost: (1000 * 1000) / 32,
  },
  {
    name: "malloc and free",
    body: "for (;;) { free(malloc(16)); iters++; }",
    minCost: 32,
  },
  {
    name: "realloc",
    // q sits right after p, so growing p moves its megabyte.
    body: "char *p = malloc(1 << 20); for (;;) { char *q = malloc(16); p = realloc(p, (1 << 20) + (iters & 1) * 4096); free(q); iters++; }",
    minCost: MiB / 8,
  },
];

describe("amplification: host work runs out of fuel", () => {
  for (const c of cases) {
    test(c.name, () => {
      const rt = kernel.createRuntime(`amp-${c.name}`, {
        allow: ["libc"],
        fuel: BUDGET,
        memory: 32 << 20,
        quarantine: false,
        stdout: () => {},
      });
      try {
        rt.add("p", `${prelude}\nint attack(char *big) { ${c.body} return 0; }`);
        const big = rt.alloc(4 * MiB + 64).ptr;
        assert.throws(
          () => rt.call("attack", big),
          (e: unknown) => e instanceof PluginFault && e.kind === "fuel-exhausted",
        );
        const iterations = rt.call("get_iters") as number;
        // Charged, the budget pays for at most BUDGET / minCost iterations; uncharged, each
        // iteration cost a handful of units and the loop ran ~BUDGET / 5 times.
        assert.ok(
          iterations <= Math.ceil(BUDGET / c.minCost),
          `${iterations} iterations, at most ${Math.ceil(BUDGET / c.minCost)} paid for`,
        );
      } finally {
        kernel.destroyRuntime(`amp-${c.name}`);
      }
    });
  }

  test("memset with too little fuel faults before touching memory", () => {
    const rt = kernel.createRuntime("amp-early", { allow: ["libc"], fuel: 100_000 });
    try {
      rt.add("p", "#include <string.h>\nvoid wipe(char *p, int n) { memset(p, 7, n); }");
      const block = rt.alloc(1 << 20);
      assert.throws(
        () => rt.call("wipe", block.ptr, 1 << 20),
        (e: unknown) => e instanceof PluginFault && e.kind === "fuel-exhausted",
      );
      assert.ok(
        block.bytes.every((b) => b === 0),
        "no byte was written",
      );
      rt.call("wipe", block.ptr, 4096);
      assert.equal(block.bytes[4095], 7, "an affordable memset works");
    } finally {
      kernel.destroyRuntime("amp-early");
    }
  });
});

describe("printf bombs", () => {
  const bombs = `#include <stdio.h>
#include <limits.h>
char b[8];
int width(void) { return snprintf(b, 4, "%*d", INT_MAX, 1); }
int precision(void) { return snprintf(b, 4, "%.*d", INT_MAX - 1, 1); }
int float_precision(void) { return snprintf(b, 8, "%.*f", INT_MAX - 10, 0.5); }
int hex_precision(void) { return snprintf(b, 8, "%.*a", INT_MAX - 10, 1.0); }
int overflow(void) { return snprintf(b, 4, "%*d%*d", INT_MAX, 1, INT_MAX, 2); }
char first(int i) { return b[i]; }
int to_stdout(void) { return printf("%*d", INT_MAX, 1); }
`;

  test("snprintf computes the length without building the field", () => {
    const rt = kernel.createRuntime("bombs", { allow: ["libc"], quarantine: false });
    try {
      rt.add("p", bombs);
      const before = process.memoryUsage();
      const text = () =>
        [0, 1, 2, 3].map((i) => String.fromCharCode(rt.call("first", i) as number));
      assert.equal(rt.call("width"), 2 ** 31 - 1);
      assert.deepEqual(text(), [" ", " ", " ", "\0"]);
      assert.equal(rt.call("precision"), 2 ** 31 - 2);
      assert.deepEqual(text(), ["0", "0", "0", "\0"]);
      assert.equal(rt.call("float_precision"), 2 + 2 ** 31 - 11);
      assert.equal(rt.call("hex_precision"), "0x1.p+0".length + 2 ** 31 - 11);
      assert.equal(rt.call("overflow"), -1, "past INT_MAX characters, as glibc: -1");
      const after = process.memoryUsage();
      // 2 GiB fields were asked for; the host grew by far less than even one of them.
      assert.ok(after.arrayBuffers - before.arrayBuffers < 64 << 20);
      assert.ok(after.heapUsed - before.heapUsed < 64 << 20);
    } finally {
      kernel.destroyRuntime("bombs");
    }
  });

  test("printf of a 2 GiB field runs out of fuel before writing it", () => {
    let written = 0;
    const rt = kernel.createRuntime("bombs-out", {
      allow: ["libc"],
      fuel: 50_000_000,
      quarantine: false,
      stdout: (bytes) => {
        written += bytes.length;
      },
    });
    try {
      rt.add("p", bombs);
      assert.throws(
        () => rt.call("to_stdout"),
        (e: unknown) => e instanceof PluginFault && e.kind === "fuel-exhausted",
      );
      assert.ok(written < 50_000_000, `${written} bytes written`);
    } finally {
      kernel.destroyRuntime("bombs-out");
    }
  });
});

describe("host errors are faults", () => {
  test("a TypeError thrown by a host function is a host-error fault and counts towards quarantine", () => {
    const k = new Kernel();
    k.export("fragile", "int fragile(int x)", (x: number) => {
      if (x > 0) throw new TypeError(`fragile(${x}) broke`);
      return 0;
    });
    const quarantined: string[] = [];
    const rt = k.createRuntime("host-errors", {
      allow: ["fragile"],
      quarantine: { faults: 3, windowMs: 60_000 },
      onQuarantine: (p) => quarantined.push(p),
    });
    rt.add("p", "int fragile(int x);\nint use(int x) { return fragile(x) + 1; }");
    assert.equal(rt.call("use", 0), 1);
    for (let i = 1; i <= 3; i++) {
      assert.throws(
        () => rt.call("use", i),
        (e: unknown) =>
          e instanceof PluginFault &&
          e.kind === "host-error" &&
          e.plugin === "p" &&
          e.message.includes(`TypeError: fragile(${i}) broke`),
      );
    }
    assert.deepEqual(rt.stats("p").faults, { "host-error": 3 });
    assert.deepEqual(quarantined, ["p"]);
    assert.throws(() => rt.call("use", 0), QuarantineError);
  });

  test("exit() stays a clean outcome", () => {
    const r = runProgram("#include <stdlib.h>\nint main(void) { exit(7); }");
    assert.equal(r.exitCode, 7);
    assert.equal(r.fault, undefined);
  });

  test("unmetered code (fuel: 0) still calls charging host functions", () => {
    const r = runProgram(
      '#include <stdio.h>\n#include <string.h>\nchar b[1 << 16];\nint main(void) { for (int i = 0; i < 100; i++) memset(b, i, sizeof b); printf("%d\\n", b[5]); return 0; }',
      { fuel: 0 },
    );
    assert.equal(r.stdout, "99\n");
    assert.equal(r.exitCode, 0);
  });
});

describe("a budget shared by several upcalls", () => {
  const source = `#include <string.h>
char buf[1 << 16];
int work(int n) { for (int i = 0; i < n; i++) memset(buf, i, sizeof buf); return n; }
int cheap(void) { return 1; }`;

  test("upcalls draw from one budget until it is closed", () => {
    const rt = kernel.createRuntime("shared", { allow: ["libc"], fuel: 1_000_000 });
    try {
      rt.add("p", source);
      const work = rt.lookup("work");
      // Each memset of 64 KiB costs 8,192 units: 70 of them, ~573k, fit a 1M budget once.
      work(70);
      work(70);
      rt.beginBudget(1_000_000);
      work(70);
      const left = rt.fuelLeft;
      assert.ok(left < 1_000_000 - 70 * 8192 && left > 0, `left ${left}`);
      assert.throws(
        () => work(70),
        (e: unknown) => e instanceof PluginFault && e.kind === "fuel-exhausted",
      );
      assert.equal(rt.fuelLeft, 0, "the fault used up the shared budget");
      assert.throws(() => work(1), PluginFault);
      assert.equal(rt.endBudget(), 0);
      assert.equal(rt.fuelLeft, 1_000_000);
      assert.equal(work(70), 70, "each upcall has its own budget again");
    } finally {
      kernel.destroyRuntime("shared");
    }
  });

  test("a nested upcall continues with its caller's fuel", () => {
    const k = new Kernel();
    let inner: ((n: number) => number) | undefined;
    k.export("again", "int again(int n)", (n: number) => inner!(n));
    const rt = k.createRuntime("nested", { allow: ["libc", "again"], fuel: 1_000_000 });
    rt.add("p", `${source}\nint again(int n);\nint outer(int n) { work(n); return again(n); }`);
    inner = rt.lookup("work");
    // 60 + 60 memsets need ~983k units: within one budget when the inner call does not
    // refill it; 70 + 70 (~1.15M) only fit if it did.
    assert.equal(rt.call("outer", 60), 60);
    assert.throws(
      () => rt.call("outer", 70),
      (e: unknown) => e instanceof PluginFault && e.kind === "fuel-exhausted",
    );
  });
});
