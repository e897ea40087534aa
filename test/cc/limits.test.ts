// Compiling is a tenant's work too: a few hundred bytes of C must not make the compiler build a
// huge module or run through millions of tokens. These sources are small and hostile.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type CompileOptions, compile, defaultLimits } from "../../cc/index.ts";

function errors(source: string, options: CompileOptions = {}): string[] {
  const r = compile(source, options);
  assert.equal(r.ok, false, "expected the compile to fail");
  return r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}: ${d.message}`);
}

function moduleBytes(source: string, options: CompileOptions = {}): number {
  const r = compile(source, options);
  if (!r.ok) assert.fail(r.diagnostics.map((d) => d.message).join("\n"));
  return r.module.wasm.length;
}

describe("module size", () => {
  test("a far non-zero byte of a huge static array is refused before it is materialised", () => {
    const source = `int x;
static char a[64 << 20] = {1, [(64 << 20) - 1] = 2};
int f(int i) { return a[i]; }`;
    const out = errors(source);
    assert.equal(out.length, 1);
    assert.match(out[0]!, /^2: initialized static data makes the module too large \(\d+ bytes/);
    assert.ok(out[0]!.includes(`limit ${defaultLimits.maxModuleBytes}`));
  });

  test("zero-filled and explicitly zero data stay free", () => {
    const zeroed = "static char z[64 << 20]; int f(int i) { return z[i]; }";
    assert.ok(moduleBytes(zeroed) < 4096);
    const explicitZero =
      "static char z[64 << 20] = {1, [(64 << 20) - 1] = 0}; int f(int i) { return z[i]; }";
    assert.ok(moduleBytes(explicitZero) < 4096);
  });

  test("the limit on data is configurable", () => {
    const source = "static char a[8192] = {[8191] = 1}; int f(int i) { return a[i]; }";
    assert.ok(moduleBytes(source) > 8192);
    const out = errors(source, { limits: { maxModuleBytes: 4096 } });
    assert.deepEqual(out, [
      "1: initialized static data makes the module too large (8192 bytes, limit 4096); zero-filled data costs nothing",
    ]);
  });

  test("code counts too, reported at the function that crosses the limit", () => {
    const body = Array.from({ length: 200 }, (_, i) => `x = x * ${i + 3} + (x >> ${i % 7});`);
    const source = `int small(int x) { return x; }\nint big(int x) {\n${body.join("\n")}\nreturn x; }`;
    const size = moduleBytes(source);
    const out = errors(source, { limits: { maxModuleBytes: size - 1 } });
    assert.equal(out.length, 1);
    assert.match(out[0]!, /^2: the module would be too large \(\d+ bytes of code and data, limit/);
  });
});

describe("compile work", () => {
  test("macros multiplying a short source into millions of tokens stop at the token limit", () => {
    const list = (item: string) => Array.from({ length: 30 }, () => item).join(",");
    const source = `#define A ${list("1")}
#define B ${list("A")}
#define C ${list("B")}
#define D ${list("C")}
int a[] = {D};
int f(int i) { return a[i]; }`;
    assert.ok(source.length < 1024);
    const own = 271; // the source's own tokens, which the output may hold on top of maxTokens
    assert.deepEqual(errors(source), [
      `5: too many tokens after preprocessing (limit ${defaultLimits.maxTokens + own}: the source's ${own} and ${defaultLimits.maxTokens} more)`,
    ]);
  });

  test("a table as long as its source compiles with the default limits", () => {
    // 600,001 tokens, past maxTokens alone: the source wrote them, so they are its own.
    const n = 300_000;
    const source = `int a[] = {${Array.from({ length: n }, (_, i) => i % 97).join(",")}};
int f(int i) { return a[i]; }`;
    assert.ok(2 * n > defaultLimits.maxTokens);
    assert.ok(moduleBytes(source) > 4 * n);
  });

  test("the same source compiles when the tenant's limits allow it", () => {
    const list = (item: string, n: number) => Array.from({ length: n }, () => item).join(",");
    const source = `#define A ${list("1", 30)}
#define B ${list("A", 30)}
int a[] = {B};
int f(int i) { return a[i]; }`;
    assert.ok(moduleBytes(source) > 900 * 4);
    assert.deepEqual(errors(source, { limits: { maxTokens: 1000 } }), [
      "3: too many tokens after preprocessing (limit 1147: the source's 147 and 1000 more)",
    ]);
  });
});
