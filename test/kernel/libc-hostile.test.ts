// Hostile use of the strto*, string and stdlib additions: megabyte-long numbers and strings,
// exhausted fuel, full heaps, wild and NULL pointers. Each call ends with a bounded result or a
// typed fault, and a neighbouring plugin's state is untouched.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type FaultKind, Kernel, PluginFault } from "../../kernel/index.ts";

const kernel = new Kernel();
const prelude =
  "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <errno.h>\n#include <math.h>\n";

function runtime(name: string, fuel = 20_000_000, memory = 8 << 20) {
  const rt = kernel.createRuntime(name, {
    allow: ["libc"],
    fuel,
    memory,
    quarantine: false,
    stdout: () => {},
    stderr: () => {},
  });
  rt.add("canary", "static int v = 7; int canary(void) { return v; }");
  return rt;
}

function faults(run: () => unknown, kind: FaultKind): void {
  assert.throws(run, (e: unknown) => e instanceof PluginFault && e.kind === kind);
}

const bigText = `static char s[1 << 20];
  static void fill(char c) { memset(s, c, sizeof s - 1); }`;

describe("libc additions under hostile input", () => {
  test("megabyte numbers parse exactly, bounded and with the right errno", () => {
    const rt = runtime("numbers");
    rt.add(
      "p",
      `${prelude}${bigText}
      int long_int(void) { fill('9'); char *e; errno = 0; long v = strtol(s, &e, 10);
        return v == 2147483647 && errno == ERANGE && e == s + sizeof s - 1; }
      int long_zeros(void) { fill('0'); s[0] = '.'; s[sizeof s - 2] = '1'; char *e;
        double d = strtod(s, &e); /* 1e-1048574: underflows to 0 */
        return d == 0.0 && e == s + sizeof s - 1; }
      int long_mantissa(void) { fill('0'); s[0] = '1'; s[1] = '.'; s[sizeof s - 2] = '1';
        /* 1.000...0001: the sticky digit must not move the result off 1.0 */
        return strtod(s, 0) == 1.0 && strtof(s, 0) == 1.0f; }
      int halfway_sticky(void) { fill('0'); memcpy(s, "9007199254740993", 16); s[16] = '.'; s[sizeof s - 2] = '1';
        /* 2^53 + 1 + tiny: just above a halfway point, so it rounds up to 2^53 + 2 */
        return strtod(s, 0) == 9007199254740994.0; }
      int huge_exponent(void) { errno = 0; double d = strtod("1e99999999999999999999", 0);
        int a = d == HUGE_VAL && errno == ERANGE; errno = 0;
        d = strtod("0x1p-99999999999999999999", 0); return a && d == 0.0 && errno == ERANGE; }`,
    );
    assert.equal(rt.call("long_int"), 1);
    assert.equal(rt.call("long_zeros"), 1);
    assert.equal(rt.call("long_mantissa"), 1);
    assert.equal(rt.call("halfway_sticky"), 1);
    assert.equal(rt.call("huge_exponent"), 1);
    assert.equal(rt.call("canary"), 7);
  });

  test("long scans stop when the fuel does", () => {
    const rt = runtime("scan-fuel", 300_000);
    rt.add(
      "p",
      `${prelude}${bigText}
      int parse(void) { fill('7'); return (int)strtoll(s, 0, 10); }
      int real(void) { fill('7'); return (int)strtod(s, 0); }
      int span(void) { fill('a'); return (int)strspn(s, "a"); }
      int tokens(void) { fill('a'); return strtok(s, ",") != 0; }`,
    );
    for (const name of ["parse", "real", "span", "tokens"])
      faults(() => rt.call(name), "fuel-exhausted");
    assert.equal(rt.call("canary"), 7);
  });

  test("strdup returns NULL once the heap is full", () => {
    const rt = runtime("dup", 20_000_000, 4 << 20);
    rt.add(
      "p",
      `${prelude}
      static char s[256 << 10];
      int dup(void) { memset(s, 'x', sizeof s - 1); int made = 0;
        while (made < 100 && strdup(s) != 0) made++; return made; }`,
    );
    const made = rt.call("dup") as number;
    assert.ok(made > 0 && made < 16, `${made} copies of 256 KiB in a 4 MiB runtime`);
    assert.equal(rt.call("canary"), 7);
  });

  test("bad pointers fault with their kind", () => {
    const rt = runtime("pointers");
    rt.add(
      "p",
      `${prelude}
      static int cmp(const void *a, const void *b) { return 0; }
      int end_null(void) { return (int)strtol("12", (char **)8, 10); }
      int end_wild(void) { return (int)strtol("12", (char **)0x7ffffff0, 10); }
      int tok_first(void) { return strtok(0, ",") != 0; }
      int bsearch_wild(void) { int k = 0; return bsearch(&k, (void *)4096, 0x10000000, 4, cmp) != 0; }
      int frexp_null(void) { return (int)frexp(1.0, 0); }
      int chr_wild(void) { return memchr((void *)0x7ffffff0, 0, 64) != 0; }`,
    );
    faults(() => rt.call("end_null"), "null-pointer");
    faults(() => rt.call("end_wild"), "out-of-bounds");
    faults(() => rt.call("tok_first"), "null-pointer");
    faults(() => rt.call("bsearch_wild"), "out-of-bounds");
    faults(() => rt.call("frexp_null"), "null-pointer");
    faults(() => rt.call("chr_wild"), "out-of-bounds");
  });

  test("atexit is bounded: the 33rd registration fails", () => {
    const rt = runtime("atexit");
    rt.add(
      "p",
      `${prelude}
      static void f(void) {}
      int many(void) { int failed = 0; for (int i = 0; i < 40; i++) failed += atexit(f) != 0; return failed; }`,
    );
    assert.equal(rt.call("many"), 8);
  });

  test("clock counts the fuel spent, deterministically", () => {
    const rt = runtime("clock");
    rt.add(
      "p",
      `#include <time.h>
      int work(int n) { clock_t a = clock(); volatile int x = 0; for (int i = 0; i < n; i++) x += i;
        return (int)(clock() - a); }`,
    );
    const small = rt.call("work", 1000) as number;
    const large = rt.call("work", 1_000_000) as number;
    assert.equal(rt.call("work", 1_000_000), large, "the same work reads the same clock");
    assert.ok(large > small && large > 0);
  });
});
