// Long operator chains and deep right-nesting against gcc: 1,600 chained binary operators of
// every kind, `?:` and `=` nested 1,600 deep, 1,600 nested parentheses. The parser reads chains
// in a loop; every later pass recurses and is bounded by the JS stack, not by a count, so far
// deeper input (a 100,000-long chain) is a clean "nesting too deep" diagnostic, in a direct
// compile() and through a runtime's add(), never a RangeError.

import assert from "node:assert/strict";
import { test } from "node:test";
import { compile } from "../../cc/index.ts";
import { CompileError, Kernel } from "../../kernel/index.ts";
import { runProgram } from "../../kernel/program.ts";
import { gccRun } from "../kernel/gcc.ts";

const N = 1600;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Binary operators without undefined behaviour on any int operands (signed overflow wraps in
 *  both builds: -fwrapv), in an order that mixes every precedence level. */
const MIXED = ["+", "*", "-", "^", "|", "&", "==", "!=", "<", ">=", "+", "&&", "||", "<<"];

function chains(): string {
  const v = (i: number) => `v[${i % 16}]`;
  const sum = range(N + 1)
    .map(v)
    .join(" + ");
  const mixed = range(N + 1)
    .map((i) => {
      const op = MIXED[i % MIXED.length];
      return i === 0 ? v(0) : op === "<<" ? `<< (${v(i)} & 7)` : `${op} ${v(i)}`;
    })
    .join(" ");
  const and = range(N + 1)
    .map((i) => `${v(i)} > ${i % 16 === 7 ? 99 : -1}`)
    .join(" && ");
  const or = range(N + 1)
    .map((i) => `${v(i)} == ${i === N ? 5 : 1000 + i}`)
    .join(" || ");
  const comma = range(N + 1)
    .map((i) => `(s += ${v(i)})`)
    .join(", ");
  const cond = `${range(N)
    .map((i) => `k == ${i} ? ${i * 7} : `)
    .join("")}-1`;
  const assign = `${range(N)
    .map((i) => `t[${i}] = `)
    .join("")}v[5] * 3`;
  // gcc's time doubles with each nested compound assignment (30 take minutes): 18 here, the
  // 1,600-deep chain is checked against a model in the runtime test below.
  const compound = `${range(18)
    .map((i) => `t[${i}] ${i % 2 ? "-=" : "+="} `)
    .join("")}v[6]`;
  let nested = "v[1]";
  for (const i of range(N))
    nested = `(${nested} ${i % 3 === 0 ? "*" : i % 3 === 1 ? "+" : "^"} ${v(i)})`;
  const parens = `${"(".repeat(N)}v[2]${")".repeat(N)}`;
  const doubles = range(N + 1)
    .map((i) => `d[${i % 4}]`)
    .join(" * 0.999 + ");
  const longs = range(N + 1)
    .map((i) => `(long long)${v(i)}`)
    .join(" * 3 - ");
  const constant = range(N + 1)
    .map((i) => `${i}`)
    .join(" + ");
  return `#include <stdio.h>
int v[16], t[${N}];
double d[4] = {1.5, -2.25, 3.0, 0.125};
static const int folded = ${constant};
int sum(void) { return ${sum}; }
int mixed(void) { return ${mixed}; }
int and(void) { return ${and}; }
int or(void) { return ${or}; }
int comma(void) { int s = 0; return (${comma}) + s; }
int cond(int k) { return ${cond}; }
int assign(void) { ${assign}; int h = 0; for (int i = 0; i < ${N}; i++) h = h * 31 + t[i]; return h; }
int compound(void) { ${compound}; int h = 0; for (int i = 0; i < ${N}; i++) h = h * 31 + t[i]; return h; }
int nested(void) { return ${nested}; }
int parens(void) { return ${parens}; }
double doubles(void) { return ${doubles}; }
long long longs(void) { return ${longs}; }
int main(int argc, char **argv) {
  for (int i = 0; i < 16; i++) v[i] = (i * 2654435761u >> 7) % 1000 - 300 + argc;
  // One call per statement: printf's arguments are unsequenced, and assign() and compound()
  // both write t[].
  int r[12] = {sum(), mixed(), and(), or(), comma(), cond(0), cond(${N - 1}), cond(777), cond(${N})};
  r[9] = assign();
  r[10] = compound();
  r[11] = nested();
  printf("%d", folded);
  for (int i = 0; i < 12; i++) printf(" %d", r[i]);
  int p = parens();
  double dd = doubles();
  long long ll = longs();
  printf(" %d %.17g %lld\\n", p, dd, ll);
  return 0;
}
`;
}

test("1,600-long chains of every operator, and 1,600-deep ?: = () nesting, agree with gcc", () => {
  const source = chains();
  const want = gccRun(source);
  assert.ok(want, "gcc -m32 oracle unavailable (install gcc-multilib and qemu-user)");
  const got = runProgram(source, { file: "chains.c" });
  assert.equal(got.diagnostics ?? "", "", "kplug rejected the program");
  assert.equal(got.stdout, want.stdout);
  assert.equal(got.exitCode, want.status);
});

/** Programs far too deep for the compiler's stack (each kind of recursion it has). */
const TOO_DEEP: Record<string, string> = {
  "a 100,000-long + chain": `int f(int a) { return ${Array(100_000).fill("a").join(" + ")}; }`,
  "a 100,000-long && chain": `int f(int a) { return ${Array(100_000).fill("a").join(" && ")}; }`,
  "a 60,000-long comma chain": `int f(int a) { return (${Array(60_000).fill("a").join(", ")}); }`,
  "60,000 nested ?:": `int f(int a) { return ${"a ? 1 : ".repeat(60_000)}0; }`,
  "100,000 unary minus": `int f(int a) { return ${"- ".repeat(100_000)}a; }`,
  "a 60,000-long chain in a static initializer": `int g = ${Array(60_000).fill("1").join(" + ")};`,
  "60,000 parentheses around a chain": `int f(int a) { return ${"(".repeat(60_000)}a${") + a".repeat(60_000)}; }`,
};

test("far deeper input is a clean 'nesting too deep' error, never a RangeError", () => {
  for (const [what, source] of Object.entries(TOO_DEEP)) {
    const r = compile(source);
    if (r.ok) continue; // compiled: deep, but within the stack (a static initializer folds)
    assert.equal(r.diagnostics.length, 1, `${what}: ${r.diagnostics.map((d) => d.message)}`);
    assert.match(r.diagnostics[0]!.message, /^nesting too deep for the compiler's stack/, what);
  }
});

test("a runtime's add() reports a too-deep chain as a CompileError", () => {
  const kernel = new Kernel();
  const rt = kernel.createRuntime("deep");
  assert.throws(
    () => rt.add("deep", TOO_DEEP["a 100,000-long + chain"]!),
    (e) => e instanceof CompileError && /nesting too deep/.test(e.message),
  );
  rt.add("ok", `int f(int a) { return ${Array(N).fill("a").join(" + ")}; }`);
  assert.equal(rt.lookup("f")(2), 2 * N);
  // 600 nested compound assignments (too slow for gcc; ~1,300 fill the main thread's stack),
  // against a model: t[i] op= (rest).
  const M = 600;
  const chain = range(M)
    .map((i) => `t[${i}] ${i % 2 ? "-=" : "+="} `)
    .join("");
  rt.add(
    "compound",
    `int t[${M}]; int g(int a) {
    for (int i = 0; i < ${M}; i++) t[i] = i * 7 - 3;
    ${chain}a;
    int h = 0; for (int i = 0; i < ${M}; i++) h = h * 31 + t[i]; return h; }`,
  );
  const t = range(M).map((i) => i * 7 - 3);
  let r = 5;
  for (let i = M - 1; i >= 0; i--) r = t[i] = (i % 2 ? t[i]! - r : t[i]! + r) | 0;
  let h = 0;
  for (const x of t) h = (Math.imul(h, 31) + x) | 0;
  assert.equal(rt.lookup("g")(5), h);
});
