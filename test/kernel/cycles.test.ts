// 100,000 link/unlink cycles must not leak: heap and RSS are measured before and after.

import assert from "node:assert/strict";
import { test } from "node:test";
import { compile } from "../../cc/compile.ts";
import { Kernel } from "../../kernel/index.ts";

test("100,000 add/remove cycles with bounded memory", () => {
  const r = compile(
    `static int table[64] = {1, 2, 3};
     int luma(int r, int g, int b) { return (77 * r + 150 * g + 29 * b) >> 8; }
     int apply(int x) { table[x & 63] += x; return luma(x, x, x) + table[x & 63]; }`,
    { file: "cycle.c" },
  );
  assert.ok(r.ok);
  const kernel = new Kernel();
  const rt = kernel.createRuntime("cycles", { allow: ["libc"] });
  const apply = rt.lookup.bind(rt);
  const cycle = (i: number) => {
    rt.add("p", r.module);
    const f = apply("apply");
    assert.equal(f(i & 255), (i & 255) + (i & 255) + ((i & 63) < 3 ? (i & 63) + 1 : 0));
    rt.remove("p");
  };
  for (let i = 0; i < 2000; i++) cycle(i);
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const heapUsed0 = rt.heap.used;
  const start = performance.now();
  for (let i = 0; i < 100_000; i++) cycle(i);
  const elapsed = performance.now() - start;
  globalThis.gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  const rss1 = process.memoryUsage().rss;
  assert.equal(rt.heap.used, heapUsed0, "plugin heap returns to where it was");
  assert.ok(rt.memory.buffer.byteLength <= 1 << 20, "plugin memory did not grow");
  const mb = (n: number) => (n / 2 ** 20).toFixed(1);
  const report = `100k cycles in ${elapsed.toFixed(0)} ms; heap ${mb(heap0)} -> ${mb(heap1)} MiB, rss ${mb(rss0)} -> ${mb(rss1)} MiB`;
  console.log(report);
  assert.ok(heap1 - heap0 < 32 * 2 ** 20, report);
  assert.ok(rss1 - rss0 < 128 * 2 ** 20, report);
});
