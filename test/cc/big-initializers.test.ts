// Big static data compiles and holds the right values (issue 15): the compile-speed bench's
// generated sources, each run by kplug and by gcc (the differential oracle), sums compared;
// the tables with the default limits.
// Static initializers pack runs of constants into bytes as they are parsed, so the designator
// cases check that overrides still land scalar by scalar.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  intArraySource,
  macroSource,
  stringSource,
  structArraySource,
} from "../../bench/compile-speed-sources.ts";
import { compile } from "../../cc/index.ts";
import { type CompileLimits, defaultLimits } from "../../cc/limits.ts";
import { runProgram } from "../../kernel/program.ts";
import { gccRun } from "../kernel/gcc.ts";

/**
 * The tables compile with the default limits (their tokens are the source's own); the macro
 * source makes more tokens than it holds, past the default budget for macro-made tokens.
 */
const macroLimits: Partial<CompileLimits> = { maxTokens: 10_000_000 };
for (const key of Object.keys(defaultLimits) as (keyof CompileLimits)[]) {
  if (key.startsWith("maxMacro")) macroLimits[key] = 10_000_000;
}

const MAIN = '\nint main(void) { printf("%d\\n", sum()); return 0; }\n';

function agreesWithGcc(name: string, body: string, limits: Partial<CompileLimits> = {}): void {
  const source = `#include <stdio.h>\n${body}${MAIN}`;
  const built = compile(source, { file: `${name}.c`, limits });
  assert.ok(built.ok, built.diagnostics.map((d) => d.message).join("\n"));
  const got = runProgram(source, { module: built.module, fuel: 0 });
  assert.equal(got.stderr, "");
  assert.match(got.stdout, /^-?\d+\n$/);
  const want = gccRun(source);
  if (want) assert.equal(got.stdout, want.stdout, `${name}: kplug and gcc disagree`);
}

test("a 200,000-element int initializer compiles and sums as gcc's build", () => {
  agreesWithGcc("int-array", intArraySource());
});

test("a 200,000-element array-of-struct initializer compiles and sums as gcc's build", () => {
  agreesWithGcc("struct-array", structArraySource());
});

test("a 1 MiB char array from 16k adjacent string literals matches gcc's build", () => {
  agreesWithGcc("string", stringSource());
});

test("X-macro code expanding 120k macros computes what gcc's build computes", () => {
  agreesWithGcc("macros", macroSource(), macroLimits);
});

test("designators override packed constants scalar by scalar", () => {
  agreesWithGcc(
    "designated",
    `struct s { char c; int x; short y; double d; _Bool b; };
static struct s a[4] = { {1, 2, 3, 4.5, 7}, {5, 6, 7, 8.25, 0}, [0].x = 9, [1].c = 10, [2] = {11, 12},
                         [3].y = -1, [0].d = -2.5 };
static int t[8] = { 1, 2, 3, 4, 5, 6, 7, 8, [2] = 30, 40, [7] = 80, [0] = 10 };
static unsigned char u[6] = { 255, 256, -1, [4] = 4, 5, [1] = 7 };
static long long q[3] = { 0x123456789abcdefLL, -2, [1] = 3 };
static float f[3] = { 1.5f, 2, [0] = 0.25f };
/* A designator jumping forward by less than a run's padding gap must not zero what lies
   between; a string partly overridden keeps its other bytes. */
static int g[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, [1] = 20, [4] = 50, [5] = 60 };
static struct { char c; int x; } h[3] = { {1, 2}, {3, 4}, {5, 6}, [0].c = 9, [1].x = 7, [2].c = 8 };
static char m[2][4] = { "abc", "def", [0][1] = 'x' };
static unsigned long long big[4] = { 1, 2, 3, 4, [1] = 0x8000000000000001ULL };
int sum(void) {
  int s = 0;
  for (int i = 0; i < 10; i++) s = s * 31 + g[i];
  for (int i = 0; i < 3; i++) s = s * 31 + h[i].c + h[i].x;
  for (int i = 0; i < 8; i++) s = s * 31 + m[i / 4][i % 4];
  for (int i = 0; i < 4; i++) s = s * 31 + (int)(big[i] >> 32) + (int)big[i];
  for (int i = 0; i < 4; i++)
    s = s * 31 + a[i].c + a[i].x + a[i].y + (int)(a[i].d * 4) + a[i].b;
  for (int i = 0; i < 8; i++) s = s * 31 + t[i];
  for (int i = 0; i < 6; i++) s = s * 31 + u[i];
  for (int i = 0; i < 3; i++) s = s * 31 + (int)(q[i] >> 20) + (int)q[i];
  for (int i = 0; i < 3; i++) s = s * 31 + (int)(f[i] * 8);
  return s;
}
`,
  );
});
