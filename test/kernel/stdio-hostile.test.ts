// Hostile use of the stdio built-ins: huge widths, counts and sizes, wild pointers, endless
// input. Each call must end with a result bounded by the plugin's fuel and memory, or a typed
// fault. A read or sprintf that runs to the end of memory overwrites the plugin's own memory on
// the way, as it would in C: that runtime is then only as good as its memory, but its
// neighbour is untouched.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ByteSource, type FaultKind, Kernel, PluginFault } from "../../kernel/index.ts";

const kernel = new Kernel();
const prelude =
  "#include <stdio.h>\n#include <stdarg.h>\n#include <string.h>\n#include <errno.h>\n";
const MEMORY = 4 << 20;
const neighbour = kernel.createRuntime("neighbour", { allow: ["libc"], stdout: () => {} });
neighbour.add("n", "static int state = 5; int n_get(void) { return state; }");

/** An endless stdin of `byte`, counting what it handed out. */
function endless(byte: number): { source: ByteSource; served: () => number } {
  let served = 0;
  return {
    source: (into) => {
      into.fill(byte);
      served += into.length;
      return into.length;
    },
    served: () => served,
  };
}

function runtime(name: string, stdin?: ByteSource, fuel = 5_000_000) {
  let out = 0;
  const rt = kernel.createRuntime(name, {
    allow: ["libc"],
    fuel,
    memory: MEMORY,
    quarantine: false,
    stdout: (b) => {
      out += b.length;
    },
    stderr: () => {},
    stdin,
  });
  rt.add("canary", "static int v = 7; int canary(void) { return v; }");
  return { rt, written: () => out };
}

function faults(run: () => unknown, kind: FaultKind): void {
  assert.throws(run, (e: unknown) => e instanceof PluginFault && e.kind === kind);
}

describe("stdio under hostile input", () => {
  test("%ls reads a wide string only as far as its NUL or the precision, and faults past memory", () => {
    const { rt } = runtime("wide");
    rt.add(
      "p",
      `${prelude}
      int wide_ok(void) { char b[8]; return snprintf(b, sizeof b, "%.2147483647ls|%ls", L"ab", L"c"); }
      int wide_bad(void) { errno = 0; char b[8]; int r = snprintf(b, sizeof b, "%ls", L"a\\u00e9");
        return r * 100 + errno; }
      int wide_end(void) { char b[8];
        return snprintf(b, sizeof b, "%ls", (int *)${MEMORY + 64}); }
      int wide_null_page(void) { char b[8]; return snprintf(b, sizeof b, "%ls", (int *)16); }`,
    );
    assert.equal(rt.lookup("wide_ok")(), 4);
    assert.equal(rt.lookup("wide_bad")(), -100 + 84);
    faults(() => rt.lookup("wide_null_page")(), "null-pointer");
    faults(() => rt.lookup("wide_end")(), "out-of-bounds");
  });

  test("sscanf with huge widths reads only what is there", () => {
    const { rt } = runtime("widths");
    rt.add(
      "p",
      `${prelude}
      int wide(void) { char b[8]; int x = 0;
        int r = sscanf("abc 12", "%4294967295s %2147483647d", b, &x);
        return r * 1000 + x + (strcmp(b, "abc") == 0 ? 100 : 0); }
      int digits(void) { static char s[1 << 20]; memset(s, '9', sizeof s - 1); int x = 0;
        sscanf(s, "%d", &x); return x; }
      int floats(void) { static char s[1 << 20]; memset(s, '1', sizeof s - 1); s[1] = '.'; double d = 0;
        sscanf(s, "%lf", &d); return (int)(d * 1000); }`,
    );
    assert.equal(rt.call("wide"), 2112);
    assert.equal(rt.call("digits"), 2147483647, "clamped like strtol");
    assert.equal(rt.call("floats"), 1111);
    assert.equal(rt.call("canary"), 7);
  });

  test("sscanf's charges stop a long scan", () => {
    const { rt } = runtime("scan-fuel", undefined, 200_000);
    rt.add(
      "p",
      `${prelude}
      int scan(void) { static char s[1 << 20]; memset(s, 'a', sizeof s - 1); char *d = s;
        return sscanf(s, "%s", d); }`,
    );
    faults(() => rt.call("scan"), "fuel-exhausted");
    assert.equal(rt.call("canary"), 7);
  });

  test("sscanf %s into the end of memory faults", () => {
    const { rt } = runtime("scan-oob");
    rt.add(
      "p",
      `${prelude}int over(void) { return sscanf("overflowing", "%s", (char *)${MEMORY - 4}); }
       int wild(void) { return sscanf("5", "%d", (int *)-4); }`,
    );
    faults(() => rt.call("over"), "out-of-bounds");
    faults(() => rt.call("wild"), "out-of-bounds");
    assert.equal(rt.call("canary"), 7);
  });

  test("fgets with n <= 0, n = 1 and a huge n", () => {
    const input = new TextEncoder().encode("first line\nsecond\n");
    let at = 0;
    const { rt } = runtime("fgets", (into) => {
      const n = Math.min(into.length, input.length - at);
      into.set(input.subarray(at, at + n));
      at += n;
      return n;
    });
    rt.add(
      "p",
      `${prelude}
      int zero(void) { char b[4] = "xyz"; return (fgets(b, 0, stdin) == NULL) * 10 + (fgets(b, -5, stdin) == NULL) + (b[0] == 'x') * 100; }
      int one(void) { char b[4] = "xyz"; return fgets(b, 1, stdin) == b && b[0] == 0; }
      int huge(void) { char b[32]; return fgets(b, 0x7fffffff, stdin) ? (int)strlen(b) : -1; }`,
    );
    assert.equal(rt.call("zero"), 111);
    assert.equal(rt.call("one"), 1);
    assert.equal(rt.call("huge"), 11, "one line, however large n is");
  });

  test("fgets and fread of an endless stdin stop at the end of memory or of fuel", () => {
    const big = endless(0x61);
    const { rt } = runtime("endless", big.source, 50_000_000);
    rt.add(
      "p",
      `${prelude}
      int line(void) { char b[16]; return fgets(b, 0x7fffffff, stdin) != 0; }
      int block(void) { char b[16]; return (int)fread(b, 1, 0xffffffffu, stdin); }
      int counted(void) { char b[16]; return (int)fread(b, 0x10000, 0x10000, stdin); }`,
    );
    faults(() => rt.call("line"), "out-of-bounds");
    faults(() => rt.call("block"), "out-of-bounds");
    faults(() => rt.call("counted"), "out-of-bounds");
    assert.ok(big.served() < 4 * MEMORY, `read ${big.served()} bytes for a ${MEMORY}-byte memory`);
    assert.equal(neighbour.call("n_get"), 5);

    const slow = endless(0x20);
    const starved = runtime("starved", slow.source, 100_000).rt;
    starved.add("p", `${prelude}int skip(void) { char w[8]; return scanf("%7s", w); }`);
    faults(() => starved.call("skip"), "fuel-exhausted");
    assert.ok(slow.served() < 2 << 20, `scanned ${slow.served()} bytes on 100k fuel`);
  });

  test("vsnprintf and sprintf bombs are bounded", () => {
    const { rt, written } = runtime("bombs", undefined, 5_000_000);
    rt.add(
      "p",
      `${prelude}
      static int v(char *b, size_t n, const char *f, ...) { va_list ap; va_start(ap, f);
        int r = vsnprintf(b, n, f, ap); va_end(ap); return r; }
      int wide(void) { char b[8]; return v(b, sizeof b, "%2147483000d", 1); }
      int overflow(void) { char b[8]; return v(b, sizeof b, "%2147483000d%2147483000d", 1, 2); }
      int spr(void) { char b[8]; return sprintf(b, "%*d", 1 << 30, 1); }
      int spr_end(void) { return sprintf((char *)${MEMORY - 4}, "%s", "too long"); }
      int vpr(void) { return printf("%*d", 1 << 30, 1); }`,
    );
    assert.equal(rt.call("wide"), 2147483000, "counted, not built");
    assert.equal(rt.call("overflow"), -1, "EOVERFLOW past INT_MAX");
    faults(() => rt.call("vpr"), "fuel-exhausted");
    assert.ok(written() < 8 << 20, `printed ${written()} bytes on 5M fuel`);
    faults(() => rt.call("spr_end"), "out-of-bounds");
    // 1 GiB of padding: the memory ends first (and is overwritten up to there).
    faults(() => rt.call("spr"), "out-of-bounds");
    assert.equal(neighbour.call("n_get"), 5);
  });

  test("bad streams fail with EBADF; fopen fails; the server's empty stdin is EOF", () => {
    const { rt } = runtime("streams");
    rt.add(
      "p",
      `${prelude}
      int bad(void) { FILE *f = (FILE *)1234; errno = 0;
        int a = fputs("x", f) == EOF && errno == EBADF; errno = 0;
        int b = fgetc(f) == EOF && errno == EBADF;
        int c = fprintf(f, "%d", 1) == EOF;
        return a + b * 10 + c * 100; }
      int opens(void) { errno = 0; FILE *r = fopen("/etc/passwd", "r"); int a = r == NULL && errno == ENOENT;
        FILE *w = fopen("x", "w"); return a + (w == NULL && errno == EACCES) * 10; }
      int input(void) { char b[8]; int x;
        return (getchar() == EOF) + (fgets(b, 8, stdin) == NULL) * 10 + (scanf("%d", &x) == EOF) * 100 + (feof(stdin) != 0) * 1000; }`,
    );
    assert.equal(rt.call("bad"), 111);
    assert.equal(rt.call("opens"), 11);
    assert.equal(rt.call("input"), 1111);
  });
});
