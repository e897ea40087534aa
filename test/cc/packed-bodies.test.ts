// Packed macro bodies (cc/packed-body.ts, issue 15): a long object-like #define's body is
// lexed into typed arrays and expanded from them. They must change nothing but speed:
// - every C file of the repository compiles to the same diagnostics and module bytes with
//   packing off, at the default threshold, and with every object-like body packed;
// - hand-written corners (comments and splices in a body, bodies that cannot be packed, a
//   #define gathered into a macro argument, redefinition, #line, #undef and push_macro, a
//   function-like name at a body's end) agree the same way;
// - an X-macro table with character constants runs as gcc's build does (the oracle).

import assert from "node:assert/strict";
import { test } from "node:test";
import { type CompileOptions, compile } from "../../cc/compile.ts";
import { lex } from "../../cc/lexer.ts";
import { defaultLimits } from "../../cc/limits.ts";
import { packedBodySettings } from "../../cc/packed-body.ts";
import { runProgram } from "../../kernel/program.ts";
import { comparableSources, compileOutcome } from "../helpers/c-corpus.ts";
import { gccRun } from "../kernel/gcc.ts";

function withMinTokens<T>(minTokens: number, f: () => T): T {
  const saved = packedBodySettings.minTokens;
  packedBodySettings.minTokens = minTokens;
  try {
    return f();
  } finally {
    packedBodySettings.minTokens = saved;
  }
}

function assertSameUnpacked(name: string, source: string, options: CompileOptions = {}): void {
  const opts = { file: name, ...options };
  const want = compileOutcome(withMinTokens(Number.POSITIVE_INFINITY, () => compile(source, opts)));
  for (const minTokens of [1, packedBodySettings.minTokens]) {
    const got = compileOutcome(withMinTokens(minTokens, () => compile(source, opts)));
    assert.deepEqual(got.diagnostics, want.diagnostics, `${name}: diagnostics (>= ${minTokens})`);
    assert.ok(got.wasm === want.wasm, `${name}: module bytes differ (>= ${minTokens})`);
  }
}

/** How many packed tokens lexing `source` makes with every body packable packed. */
function packedCount(source: string): number {
  const lexed = withMinTokens(1, () => lex(source, "t.c", defaultLimits));
  return lexed.tokens.filter((t) => t.kind === "packed").length;
}

test("every C file of the repository compiles identically with and without packed bodies", () => {
  const { sources, includes } = comparableSources();
  assert.ok(sources.length > 300, `only ${sources.length} C files found`);
  const failures: string[] = [];
  for (const { name, source } of sources) {
    try {
      assertSameUnpacked(name, source, { includes });
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  assert.deepEqual(failures, []);
});

/** `n` items from `f(i)`, joined by `sep`. */
function list(n: number, f: (i: number) => string, sep = " "): string {
  return Array.from({ length: n }, (_, i) => f(i)).join(sep);
}

const table = (n: number) => list(n, (i) => `X(k${i}, ${i * 7 - 50}) \\`, "\n");

const cases: Record<string, { source: string; packed: number }> = {
  "X-macro table with comments, splices and character constants": {
    source: `
#define TABLE \\
${list(80, (i) => `  X(c${i}, '${String.fromCharCode(97 + (i % 26))}') /* entry ${i} */ \\`, "\n")}
  X(last, '\\n') // the end
#define X(n, v) n,
enum e { TABLE COUNT };
#undef X
#define X(n, v) + v - n
int main(void) { return 0 TABLE; }
`,
    packed: 1,
  },
  "a block comment across lines inside a body": {
    source: `
#define LONG ${list(40, (i) => `${i} +`)} /* a comment
that spans lines */ ${list(40, (i) => `${i} +`)} 0
int main(void) { return LONG; }
`,
    packed: 1,
  },
  "bodies that cannot be packed": {
    source: `
#define HASH ${list(40, (i) => `a${i}`)} # b
#define PASTE ${list(40, (i) => `a${i}`)} ## b
#define STRING ${list(40, (i) => `a${i}`)} "s"
#define WIDE ${list(40, (i) => `a${i}`)} L'x'
#define MULTI ${list(40, (i) => `a${i}`)} 'ab'
#define FUNC(x) ${list(80, (i) => `x + ${i}`)}
int main(void) { return FUNC(1); }
`,
    packed: 0,
  },
  "a #define gathered into a macro argument": {
    source: `
#define STR(...) #__VA_ARGS__
#define S2(...) STR(__VA_ARGS__)
const char *s = S2(a,
#define G ${list(80, (i) => `g${i}`)}
b);
int main(void) { return s[0]; }
`,
    packed: 1,
  },
  "redefinition, #undef and push_macro": {
    source: `
#define T ${list(80, (i) => `${i} +`)} 0
#define T ${list(80, (i) => `${i} +`)} 0
int a = T;
#pragma push_macro("T")
#undef T
#define T ${list(80, (i) => `${i} -`)} 0
int b = T;
#pragma pop_macro("T")
int c = T;
#define T ${list(80, (i) => `${i}  *`)} 1
#define T ${list(80, (i) => `${i} -`)} 1
int main(void) { return a + b + c + T; }
`,
    packed: 5,
  },
  "#line before a body, and an error inside its expansion": {
    source: `
#line 500 "renamed.c"
#define BAD ${list(80, (i) => `${i} +`)} undeclared_name
int main(void) { return BAD; }
`,
    packed: 1,
  },
  "a function-like macro named at a body's end, its arguments after the use": {
    source: `
#define F(x) (x * 2)
#define SELF ${list(80, (i) => `${i} +`)} SELF + F
int SELF = 1;
int main(void) { return SELF (3); }
`,
    packed: 1,
  },
};

for (const [name, { source, packed }] of Object.entries(cases)) {
  test(`packed bodies: ${name}`, () => {
    assert.equal(packedCount(source), packed, "packed bodies made by the lexer");
    assertSameUnpacked(`${name}.c`, source);
  });
}

test("only a #define's own line is packed: `#` or `#define` ending its line leaves the next alone", () => {
  // After a null directive (`#`) or a `#define` without a name, the next line is ordinary code
  // even if it starts with `define NAME` or `NAME`: its table stays a data run (data-run.ts),
  // as before packed bodies, and is not packed as if it were a macro's body.
  const values = list(100, (i) => `${i}`, ", ");
  const sources = [
    `#define define int\n#\ndefine a[] = { ${values} };\nint main(void) { return a[5]; }\n`,
    `#define\nint a[] = { ${values} };\nint main(void) { return a[5]; }\n`,
  ];
  for (const source of sources) {
    const lexed = lex(source, "t.c", defaultLimits);
    assert.equal(lexed.tokens.filter((t) => t.kind === "packed").length, 0, "packed bodies");
    assert.equal(lexed.tokens.filter((t) => t.kind === "run").length, 1, "the table's data run");
    assertSameUnpacked("next-line.c", source);
  }
});

test("redefining a packed body warns exactly where the unpacked comparison does", () => {
  // Bodies start with `-`, so that one can follow the name without white space.
  const body = (f: (i: number) => string) => `- ${list(70, f)}`;
  const same = body((i) => `a${i} +`);
  const redefinitions: [string, string, boolean][] = [
    ["the same spelling", `#define T ${same}`, false],
    ["more white space", `#define T  ${body((i) => `a${i}  +\t`)}`, false],
    ["a comment for a space", `#define T ${body((i) => `a${i}/**/+`)}`, false],
    ["a splice for a space", `#define T ${body((i) => `a${i} \\\n+`)}`, false],
    ["no space before the first token", `#define T${same}`, false],
    ["a space taken away", `#define T ${body((i) => (i === 30 ? `a${i}+` : `a${i} +`))}`, true],
    ["another token as long", `#define T ${body((i) => `${i === 30 ? "b" : "a"}${i} +`)}`, true],
    [
      "another character constant",
      `#define T ${body((i) => (i === 30 ? "'b' +" : `a${i} +`))}`,
      true,
    ],
    ["one token more", `#define T ${same} 0`, true],
  ];
  const header = `#define T ${same}\n`;
  for (const [what, second, warns] of redefinitions) {
    // The header included twice redefines T with its own packed body, then `second` with another.
    const source = `#include "t.h"\n#include "t.h"\n${second}\nint main(void) { return 0; }\n`;
    const options = { includes: { "t.h": header } };
    assert.equal(packedCount(header + second), 2, what);
    const got = compile(source, { file: "t.c", ...options });
    const redefined = got.diagnostics.filter((d) => d.message === '"T" redefined');
    assert.deepEqual(
      redefined.map((d) => `${d.line}:${d.col}`),
      warns ? ["3:9"] : [],
      what,
    );
    assertSameUnpacked("t.c", source, options);
  }
});

test("an X-macro table expanded from a packed body runs as gcc's build does", () => {
  const source = `
#include <stdio.h>
#define TABLE \\
${table(300)}
  X(last, '\\x7f')
#define X(name, v) name,
enum key { TABLE KEY_COUNT };
#undef X
#define X(name, v) s = s * 31 + (v) + name;
int main(void) {
  int s = 0;
  TABLE
  printf("%d %d\\n", s, (int)KEY_COUNT);
  return 0;
}
`;
  assert.equal(packedCount(source), 1);
  const built = compile(source, { file: "xmacro.c" });
  assert.ok(built.ok, built.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`).join("\n"));
  const got = runProgram(source, { module: built.module });
  const want = gccRun(source);
  assert.ok(want, "gcc -m32 (the oracle) must be available");
  assert.equal(got.stdout, want.stdout);
});
