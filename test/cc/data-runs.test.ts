// Data runs (cc/data-run.ts, issue 15): tables' numbers are lexed into typed arrays, carried as
// one token and read in place by static initializers. They must change nothing but speed:
// - every C file of the repository compiles to the same diagnostics (message, file, line,
//   column) and the same module bytes (line table included) with runs off, with the default
//   threshold, and with a run wherever two tokens can make one (so every consumer of tokens
//   meets runs: macro arguments, #if, stringizing, pasting, error recovery);
// - hand-written cases (conversion warnings, token errors, macros, #if, #line, limits) agree
//   the same way;
// - generated tables of every scalar type, static and automatic, braced and elided, hold what
//   gcc's build holds (the differential oracle).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { type CompileOptions, compile } from "../../cc/compile.ts";
import { dataRunSettings } from "../../cc/data-run.ts";
import { runProgram } from "../../kernel/program.ts";
import { compileOutcome, ROOT, repositoryCFiles } from "../helpers/c-corpus.ts";
import { gccRun } from "../kernel/gcc.ts";

/** Compiles with runs of at least `minTokens` tokens (Infinity: no runs). */
function compileWith(minTokens: number, source: string, options: CompileOptions) {
  const saved = dataRunSettings.minTokens;
  dataRunSettings.minTokens = minTokens;
  try {
    return compile(source, options);
  } finally {
    dataRunSettings.minTokens = saved;
  }
}

/** Runs (at each threshold) change neither diagnostics nor bytes. */
function assertSameAsTokens(name: string, source: string, options: CompileOptions = {}): void {
  const opts = { file: name, ...options };
  const want = compileOutcome(compileWith(Number.POSITIVE_INFINITY, source, opts));
  for (const minTokens of [2, 32]) {
    const got = compileOutcome(compileWith(minTokens, source, opts));
    assert.deepEqual(
      got.diagnostics,
      want.diagnostics,
      `${name}: diagnostics (runs >= ${minTokens})`,
    );
    assert.ok(got.wasm === want.wasm, `${name}: module bytes differ (runs >= ${minTokens})`);
  }
}

test("every C file of the repository compiles identically with and without data runs", () => {
  const { files, includes } = repositoryCFiles();
  assert.ok(files.length > 300, `only ${files.length} C files found`);
  const failures: string[] = [];
  for (const file of files) {
    try {
      assertSameAsTokens(file.slice(ROOT.length + 1), readFileSync(file, "utf8"), { includes });
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  assert.deepEqual(failures, []);
});

/** `n` numbers from `f(i)`, comma-separated. */
function list(n: number, f: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => f(i)).join(", ");
}

const cases: Record<string, string> = {
  // Each element's conversion warning, at its own line and column, with its own values.
  "conversion warnings": `
static signed char c[40] = { ${list(40, (i) => String(i * 9 - 100))} };
static unsigned char u[40] = { ${list(40, (i) => String(i * 13 - 200))} };
static short s[40] = { ${list(40, (i) => String(i * 1999 - 40000))} };
static unsigned short us[40] = {
  ${list(20, (i) => String(i * 4000))},
  ${list(20, (i) => String(-i))} };
static unsigned int ui[40] = { ${list(40, (i) => String(i - 20))} };
static int si[40] = { ${list(40, (i) => `${i * 200000000}`)} };
static int fl[40] = { ${list(40, (i) => `${i}.5`)} };
static _Bool b[40] = { ${list(40, (i) => String(i % 3))} };
static char *ptr[40] = { ${list(40, (i) => (i % 7 === 3 ? "1" : "0"))} };
int main(void) { return c[1] + u[2] + s[3] + us[4] + ui[5] + si[6] + fl[7] + b[8] + (ptr[0] != 0); }
`,
  // A token error inside a table: the element gets the ordinary error, the rest is read on.
  "token errors": `
static int a[40] = { ${list(40, (i) => (i === 7 ? "08" : i === 9 ? "1abc" : i === 11 ? "0x" : i === 13 ? "1e" : i === 15 ? "-08" : i === 17 ? "+0x" : i === 19 ? "- 1u" : String(i)))} };
static int b[] = { ${list(40, String)}, 99999999999999999999999 };
static double d[40] = { ${list(40, (i) => (i === 20 ? "1.5q" : `${i}.25`))} };
int main(void) { return a[0] + b[1] + (int)d[2]; }
`,
  "character constants": `
static char s[40] = { ${list(40, (i) => ["'a'", "'\\n'", "'\\0'", "'\\377'", "'\\x41'", "'\\''", "'ab'", "-'c'", "'\\q'", "L'x'"][i % 10]!)} };
int main(void) { return s[3]; }
`,
  "excess and missing": `
static int a[33] = { ${list(40, String)} };
static struct { int x; char c; } p[3] = { ${list(40, String)} };
static int m[2][3] = { { ${list(40, String)} }, { 1, 2 } };
static int z = { ${list(40, String)} };
static int q[40] = { ${list(40, String)} 1 };
int main(void) { return a[0] + p[0].x + m[0][0] + z + q[1]; }
`,
  "macro arguments, stringizing and pasting": `
#define T(...) __VA_ARGS__
#define FIRST(a, ...) a
#define STR(...) #__VA_ARGS__
#define CAT(a, b) a ## b
#define N ${list(40, String)}
static int a[] = { T(${list(40, (i) => String(i * 3))}) };
static int f = FIRST(${list(40, String)});
static const char *s = STR(${list(40, (i) => String(-i))});
static int c = CAT(1, 2) + CAT(3, 4);
static int n[] = { N };
int main(void) { return a[2] + f + s[3] + c + n[5]; }
`,
  "a paste that is not a token": `
#define CAT(a, b) a ## b
static int c[] = { ${list(40, String)}, CAT(1, -), CAT(${list(40, String)}, 7) };
`,
  "char arrays among numbers": `
static char m[60][4] = { ${list(40, (i) => (i % 9 === 4 ? `{ "ab" }` : i % 9 === 5 ? `"xyz"` : `{ ${i}, ${-i}, ${i % 7} }`))} };
static char n[][3] = { ${list(40, (i) => `{ ${i}, ${i} }`)}, { "abc" }, { 1, 2, 3, 4 } };
int main(void) { return m[4][0] + n[2][1]; }
`,
  "conditional groups and #line": `
static int a[] = { ${list(40, String)},
#if 0
  ${list(40, (i) => `${i}x ''`)},
#elif 1
  ${list(40, (i) => String(i + 100))},
#endif
  ${list(40, String)} };
#line 500 "other.c"
static int b[] = { ${list(40, String)}, 1.5e99999 };
static unsigned char c[] = { ${list(40, (i) => String(i * 10))} };
int main(void) { return a[50] + b[3] + c[30]; }
`,
  "comments between numbers": `
static int a[] = { /* 0 */ ${list(40, (i) => `${i} /* ${i} */`)}, // line
  ${list(40, (i) => `${i}//x\n`)},
  /* 😀 */ ${list(40, String)}, 300 /* é */ };
static unsigned char b[] = { ${list(40, String)}, 256 };
int main(void) { return a[3] + b[40]; }
`,
  "runs outside initializers": `
int f(int a, ...) { return a; }
int g(void) { int x; x = 1, 2, ${list(40, String)}; return x + f(${list(40, String)}); }
enum e { E = ${list(40, String)} };
int main(void) { return g(); }
`,
  "runs in syntax errors": `
int main(void) {
  int x = 0;
  x = { ${list(40, String)} };
  return x;
}
int h = { ${list(40, String)} } };
`,
  "designators around runs": `
static int a[80] = { ${list(40, String)}, [10] = ${list(40, (i) => String(-i))}, [70] = 1, 2, 3 };
static struct { int x; short y; char c; double d; } s[20] = {
  ${list(10, (i) => `{ ${i}, ${i * 2}, ${i % 100}, ${i}.5 }`)}, [2].y = 7, [5] = { ${list(4, String)} } };
int main(void) { return a[12] + s[2].y; }
`,
  // Each table's run is handed back to the token path (a braced scalar); past a few, every
  // run left is expanded at once.
  "many runs handed back": `
${Array.from({ length: 30 }, (_, k) => `static int a${k}[] = { ${list(40, (i) => (i === k ? `{ ${i} }` : String(i)))} }, b${k} = ${k};`).join("\n")}
int main(void) { return a3[3] + b4; }
`,
  "braces nested too deep": `
static int a[1] = ${"{".repeat(250)}1${"}".repeat(250)};
static int b[2][2] = { ${"{".repeat(40)}1, 2${"}".repeat(40)}, 3 };
`,
  "automatic arrays": `
int main(void) {
  int a[40] = { ${list(40, (i) => String(i * 7 - 100))} };
  unsigned char b[40] = { ${list(40, (i) => String(i * 9))} };
  struct { int x; char c; } p[20] = { ${list(40, String)} };
  return a[3] + b[39] + p[7].c;
}
`,
};

for (const [name, body] of Object.entries(cases)) {
  test(`diagnostics and bytes do not depend on data runs: ${name}`, () => {
    assertSameAsTokens(`${name}.c`, body);
  });
}

test("a table past the token limit is refused at the same token", () => {
  const source = `static int a[] = { ${list(400, String)} };\nint main(void) { return a[1]; }\n`;
  assertSameAsTokens("limit.c", source, { limits: { maxTokens: 50 } });
  const macro = `#define X ${list(60, String)}\nstatic int a[] = { X, X, X };\nint main(void) { return a[1]; }\n`;
  assertSameAsTokens("limit2.c", macro, { limits: { maxTokens: 100 } });
});

// --- tables against gcc ---------------------------------------------------------------------

/** A deterministic spread over [lo, hi]. */
function spread(i: number, lo: number, hi: number): number {
  const x = ((i * 2654435761) >>> 0) % (hi - lo + 1);
  return lo + x;
}

interface Table {
  decl: string;
  /** C statements folding the table into `h`. */
  fold: string;
}

function scalarTable(name: string, type: string, n: number, elem: (i: number) => string): Table {
  return {
    decl: `${type} ${name}[${n}] = { ${list(n, elem)} };`,
    fold: `for (int i = 0; i < ${n}; i++) h = h * 31 + (long long)(${name}[i] * 4);`,
  };
}

function tables(n: number): Table[] {
  const t: Table[] = [
    scalarTable("sc", "signed char", n, (i) => String(spread(i, -128, 127))),
    scalarTable("uc", "unsigned char", n, (i) => String(spread(i, 0, 255))),
    scalarTable(
      "ch",
      "char",
      n,
      (i) => ["'a'", "'\\n'", "'\\377'", "'\\x7f'", "-1", "'0'"][i % 6]!,
    ),
    scalarTable("ss", "short", n, (i) => String(spread(i, -32768, 32767))),
    scalarTable("us", "unsigned short", n, (i) => `0x${spread(i, 0, 65535).toString(16)}`),
    scalarTable("si", "int", n, (i) => String(spread(i, -2147483647, 2147483647))),
    scalarTable("oc", "int", n, (i) => `0${spread(i, 0, 0o7777777).toString(8)}`),
    scalarTable("ui", "unsigned", n, (i) => `${spread(i, 0, 4294967295)}u`),
    scalarTable(
      "sl",
      "long long",
      n,
      (i) => `${spread(i, -999999999, 999999999)}${i % 2 ? "LL" : ""}`,
    ),
    scalarTable(
      "ul",
      "unsigned long long",
      n,
      (i) => `0x${spread(i, 0, 0xffffff).toString(16)}${spread(i, 0, 0xffffff).toString(16)}ULL`,
    ),
    scalarTable("fl", "float", n, (i) =>
      i % 3 === 0 ? `${spread(i, -99999, 99999)}` : `${spread(i, -9999, 9999)}.${i}f`,
    ),
    scalarTable("db", "double", n, (i) =>
      i % 3 === 0 ? `${spread(i, -99999999, 99999999)}` : `${spread(i, -9999, 9999)}.${i}e${i % 7}`,
    ),
    scalarTable("en", "enum color", n, (i) => String(spread(i, 0, 2))),
    {
      decl: `int *ptrs[${n}] = { ${list(n, () => "0")} };`,
      fold: `for (int i = 0; i < ${n}; i++) h = h * 31 + (ptrs[i] == 0);`,
    },
    // Brace elision, padding, partial fill, unsized, nested arrays.
    {
      decl: `struct pt { char c; int x; short y; double d; } pts[${n}] = { ${list(n, (i) =>
        i % 3 === 0 ? `{ ${i % 100}, ${-i}, ${i * 3}, ${i}.5 }` : `${i % 100}, ${i}, ${-i}, ${i}`,
      )} };`,
      fold: `for (int i = 0; i < ${n}; i++) h = h * 31 + pts[i].c + pts[i].x + pts[i].y + (long long)(pts[i].d * 2);`,
    },
    {
      decl: `short part[${n * 2}] = { ${list(n, (i) => String(-i))} };`,
      fold: `for (int i = 0; i < ${n * 2}; i++) h = h * 31 + part[i];`,
    },
    {
      decl: `int unsized[] = { ${list(n, (i) => String(i * i))} };`,
      fold: `for (unsigned i = 0; i < sizeof unsized / sizeof *unsized; i++) h = h * 31 + unsized[i];`,
    },
    {
      decl: `int grid[${n}][3] = { ${list(n, (i) => (i % 2 ? `{ ${i}, ${-i} }` : `${i}, ${i + 1}, ${i + 2}`))} };`,
      fold: `for (int i = 0; i < ${n}; i++) for (int k = 0; k < 3; k++) h = h * 31 + grid[i][k];`,
    },
    {
      decl: `struct inner { short a[2]; char b; } nest[${n}] = { ${list(n, (i) => `{ { ${i}, ${-i} }, ${i % 50} }`)} };`,
      fold: `for (int i = 0; i < ${n}; i++) h = h * 31 + nest[i].a[0] + nest[i].a[1] + nest[i].b;`,
    },
    {
      decl: `struct bits { int a : 3; unsigned b : 5; int c; } bf[${n}] = { ${list(n, (i) => `{ ${spread(i, -4, 3)}, ${spread(i, 0, 31)}, ${i} }`)} };`,
      fold: `for (int i = 0; i < ${n}; i++) h = h * 31 + bf[i].a + bf[i].b + bf[i].c;`,
    },
  ];
  return t;
}

function tableProgram(n: number, storage: "static" | "auto"): string {
  const ts = tables(n);
  const decls = ts
    .map((t) => (storage === "static" ? `static ${t.decl}` : `  ${t.decl}`))
    .join("\n");
  const folds = ts.map((t) => `  ${t.fold}`).join("\n");
  const body = `  long long h = 0;\n${folds}\n  printf("%lld\\n", h);\n  return 0;\n`;
  const head = "#include <stdio.h>\nenum color { RED, GREEN, BLUE };\n";
  return storage === "static"
    ? `${head}${decls}\nint main(void) {\n${body}}\n`
    : `${head}int main(void) {\n${decls}\n${body}}\n`;
}

for (const storage of ["static", "auto"] as const) {
  test(`${storage} tables of every scalar type hold what gcc's build holds`, () => {
    const source = tableProgram(48, storage);
    assertSameAsTokens(`tables-${storage}.c`, source);
    const built = compile(source, { file: `tables-${storage}.c` });
    assert.ok(
      built.ok,
      built.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join("\n"),
    );
    const got = runProgram(source, { module: built.module });
    const want = gccRun(source);
    assert.ok(want, "gcc -m32 (the oracle) must be available");
    assert.equal(got.stdout, want.stdout);
  });
}
