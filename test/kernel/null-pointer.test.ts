// NULL is a fault: loads and stores through a pointer into the NULL page (the first 4 KiB)
// fault with kind `null-pointer`, in compiled code (cc/null-checks.ts) and in the C library
// built-ins handed one; programs that never touch NULL run as before; the option turns the
// checks off.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Kernel, PluginFault, type RunResult, runProgram } from "../../kernel/index.ts";

const HEAD = "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n";

function run(body: string, options: { nullChecks?: boolean } = {}): RunResult {
  return runProgram(HEAD + body, { file: "null.c", ...options });
}

/** `fn`: the function the report names (helpers small enough are inlined into their caller). */
function assertNullFault(r: RunResult, fn?: string): void {
  assert.equal(r.fault?.kind, "null-pointer", `${r.stderr} (exit ${r.exitCode})`);
  assert.equal(r.exitCode, 1);
  if (fn) assert.equal(r.fault?.function, fn);
  // The report is at the failed check's source place (or the C call that handed NULL on).
  assert.match(r.stderr, /^null\.c:\d+:\d+: fault: null pointer/m);
  assert.equal(r.fault?.file, "null.c");
  assert.ok((r.fault?.line ?? 0) > 0 && (r.fault?.col ?? 0) > 0);
}

describe("compiled code", () => {
  const cases: [string, string, string?][] = [
    ["a store through NULL", "int main(void) { *(int *)0 = 1; return 0; }"],
    ["a load through NULL", "int main(void) { int *p = 0; return *p; }"],
    [
      "a struct field",
      "struct s { int a; int b[2000]; }; struct s *g;\nint main(void) { return g->b[1500]; }",
    ],
    [
      "an array index through a NULL parameter",
      "int get(const int *p, int i) { return p[i]; }\nint main(int c, char **v) { (void)v; return get(0, c); }",
    ],
    ["an address in the NULL page", "int main(void) { return *(volatile char *)4095; }"],
    [
      "through a function pointer's argument",
      "void put(int *p) { *p = 7; }\nvoid (*fp)(int *) = put;\nint main(void) { fp(0); return 0; }",
      "put",
    ],
    [
      "inside an inlined helper",
      "static int first(const int *p) { return p[0]; }\nint main(void) { int *p = 0; return first(p) + 1; }",
    ],
    [
      "inside a loop",
      "int sum(const int *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }\nint main(void) { return sum(0, 10); }",
    ],
    [
      "a string walked with *p++",
      "int len(const char *p) { int n = 0; while (*p++) n++; return n; }\nint main(void) { return len(0); }",
    ],
    [
      "a struct copied from NULL",
      "struct big { int v[64]; };\nint main(void) { struct big *p = 0; struct big b = *p; return b.v[3]; }",
    ],
    ["an inlined memset", "int main(void) { memset(NULL, 0, 10); return 0; }"],
    ["an inlined memcpy", "int main(void) { char b[8]; memcpy(b, NULL, 8); return b[0]; }"],
    [
      "a malloc that failed",
      "int main(void) { char *p = malloc(0x7fffffff); p[10] = 1; return 0; }",
    ],
  ];
  for (const [what, body, fn] of cases) {
    test(`${what} faults null-pointer`, () => assertNullFault(run(body), fn));
  }

  test("the report names the address", () => {
    const r = run("int main(void) { return *(volatile int *)40; }");
    assert.match(r.fault?.message ?? "", /null pointer \(address 0x00000028\)/);
  });

  test("output before the fault is kept; nothing after it runs", () => {
    const r = run(
      'int main(void) { int *p = 0; for (int i = 0; i < 3; i++) { printf("%d\\n", i); if (i == 2) p[i] = 1; } puts("after"); return 0; }',
    );
    assertNullFault(r);
    assert.equal(r.stdout, "0\n1\n2\n");
  });

  test("a loop that never runs or never dereferences does not fault", () => {
    const r = run(`
      int sum(const int *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
      int guarded(const int *p, int n) { int s = 0; for (int i = 0; i < n; i++) { if (p) s += p[i]; else s++; } return s; }
      int early(const int *p, int n) { int s = 0; while (n-- > 0) { if (!p) break; s += *p++; } return s; }
      int main(void) {
        int a[3] = {1, 2, 3};
        printf("%d %d %d %d %d\\n", sum(0, 0), sum(a, 3), guarded(0, 4), guarded(a, 2), early(0, 5));
        return 0;
      }`);
    assert.equal(r.fault, undefined, r.stderr);
    assert.equal(r.stdout, "0 6 4 3 0\n");
  });

  test("a loop that assigns a pointer before dereferencing it checks the value assigned", () => {
    const r = run(`
      int main(void) {
        int hist[4] = {0};
        for (int i = 0; i < 8; i++) hist[(i * 7) % 4]++;
        int a[4];
        int *q = 0;
        for (int i = 0; i < 4; i++) { q = &a[i]; *q = i; }
        int *r = 0;
        for (int i = 0; i < 2; i++) { if (i) r = &a[0]; else r = &a[1]; *r += 10; }
        printf("%d %d %d %d\\n", hist[1], a[3], a[0], a[1]);
        return 0;
      }`);
    assert.equal(r.fault, undefined, r.stderr);
    assert.equal(r.stdout, "2 3 10 11\n");
  });

  test("computing an address from NULL is not an access", () => {
    const r = run(`
      #include <stddef.h>
      struct s { int a; char b; double c; };
      int main(void) {
        struct s *p = 0;
        int *q = &p->a;
        char *end = (char *)0 + 16;
        printf("%d %d %d\\n", (int)offsetof(struct s, c), q == 0, (int)(end - (char *)0));
        memset(NULL, 0, 0);
        memcpy(NULL, NULL, 0);
        return 0;
      }`);
    assert.equal(r.fault, undefined, r.stderr);
    assert.equal(r.stdout, "8 1 16\n");
  });

  test("nullChecks: false restores the old behaviour (the access succeeds)", () => {
    const r = run("int main(void) { *(int *)100 = 42; memset(NULL, 0, 4); return *(int *)100; }", {
      nullChecks: false,
    });
    assert.equal(r.fault, undefined, r.stderr);
    assert.equal(r.exitCode, 42);
  });
});

describe("C library built-ins handed NULL", () => {
  const calls: [string, string][] = [
    ["memset", "char *p = 0; memset(p, 1, 4);"],
    ["memcpy", "char b[4]; char *p = 0; memcpy(b, p, 4);"],
    ["memmove", "char b[4]; char *p = 0; memmove(p, b, 4);"],
    ["memcmp", "char b[4] = {0}; char *p = 0; return memcmp(b, p, 4);"],
    ["strlen", "char *p = 0; return (int)strlen(p);"],
    ["strcpy", 'char *p = 0; strcpy(p, "x");'],
    ["strcmp", 'char *p = 0; return strcmp("a", p);'],
    ["strchr", "char *p = 0; return strchr(p, 'a') != 0;"],
    ["strcat", 'char *p = 0; strcat(p, "x");'],
    ["puts", "char *p = 0; puts(p);"],
    ["atoi", "char *p = 0; return atoi(p);"],
    ["printf's format", "char *p = 0; printf(p);"],
    ["snprintf's buffer", 'char *p = 0; snprintf(p, 8, "%d", 1);'],
    [
      "qsort",
      "int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }\nint main(void) { int *p = 0; qsort(p, 4, 4, cmp); return 0; }",
    ],
  ];
  for (const [fn, body] of calls) {
    test(`${fn}(NULL, ...) faults null-pointer`, () => {
      const src = body.includes("int main") ? body : `int main(void) { ${body} return 0; }`;
      // The pointer goes through a variable the compiler cannot see through: the built-in
      // itself (not an inlined copy) must fault.
      const r = run(src.replace(/char \*p = 0;/, "char *volatile q = 0; char *p = q;"));
      assertNullFault(r);
    });
  }

  test("what glibc accepts stays legal: free(NULL), realloc(NULL, n), %s of NULL, zero lengths", () => {
    const r = run(`
      int main(void) {
        char *p = 0;
        free(p);
        char *q = realloc(p, 8);
        strcpy(q, "ok");
        printf("%s %s [%.3s]\\n", q, p, p);
        memset(p, 0, 0);
        memcpy(q, p, 0);
        free(q);
        return memcmp(p, q, 0);
      }`);
    assert.equal(r.fault, undefined, r.stderr);
    assert.equal(r.stdout, "ok (null) []\n");
  });
});

describe("runtimes", () => {
  test("a plugin's NULL access is a PluginFault; the runtime goes on", () => {
    const kernel = new Kernel();
    const rt = kernel.createRuntime("null-rt", { allow: ["libc"] });
    rt.add("p", "int get(int *p) { return p ? *p : -1; }\nint bad(int *p) { return p[1]; }");
    assert.throws(
      () => rt.call("bad", 0),
      (e) => e instanceof PluginFault && e.kind === "null-pointer" && e.function === "bad",
    );
    assert.equal(rt.call("get", 0), -1);
    const cell = rt.alloc(4);
    new DataView(cell.bytes.buffer, cell.bytes.byteOffset).setInt32(0, 99, true);
    assert.equal(rt.call("get", cell.ptr), 99);
  });

  test("RuntimeOptions.nullChecks: false compiles its plugins without checks", () => {
    const kernel = new Kernel();
    const rt = kernel.createRuntime("no-null-rt", { nullChecks: false });
    rt.add("p", "int peek(int *p) { return p[3]; }");
    assert.equal(rt.call("peek", 0), 0);
    rt.add("q", "int poke(int *p) { return p[3]; }", { nullChecks: true });
    assert.throws(
      () => rt.call("poke", 0),
      (e) => e instanceof PluginFault && e.kind === "null-pointer",
    );
  });
});
