// Link and unlink (issue 3, issue 5 item 4): adding the already-compiled grayscale plugin to a
// runtime and removing it again, timed separately, plus whole add/remove cycles per second.
// Peers: what the same step costs with Extism (createPlugin / close) and QuickJS (a new
// context evaluating the plugin's JS / dispose).

import { readFileSync } from "node:fs";
import path from "node:path";
import { compileOrThrow, loadKplug } from "./kplug.ts";
import { extismGrayscaleModule } from "./peers/extism-modules.ts";
import { measureBatchedAsync, now, type Stat, summarize } from "./stats.ts";
import type { BenchContext, BenchGroup, Cell, GroupOutput } from "./types.ts";

const GRAY_JS = `function grayscale(src, dst, width, height, stride) {
  for (let y = 0; y < height; y++) {
    let p = y * stride, q = y * width; const end = q + width;
    while (q < end) { dst[q++] = (77 * src[p] + 150 * src[p + 1] + 29 * src[p + 2] + 128) >> 8; p += 3; }
  }
  return 0;
}`;

export const linkGroup: BenchGroup = {
  id: "link",
  title: "Link and unlink",
  description:
    "The compiled grayscale plugin is linked into a runtime (`runtime.add(name, compiledModule)`: " +
    "import resolution, instantiation, data placement, symbol table) and unlinked " +
    "(`runtime.remove(name)`), alternately, after a warm-up; each operation is timed on its own " +
    "(performance.now, whose own cost of a few tens of ns is included), and cycles per second " +
    "follow from the median add + remove. A module linked before is re-linked from the runtime's instance pool " +
    "(its static data restored from a snapshot); the first link of a module instantiates it, measured " +
    "separately after `runtime.reset()` empties the pool. Peers load the equivalent plugin into Extism (createPlugin from " +
    "a compiled module, close) and into a fresh QuickJS context (eval, dispose).",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    const rows: Cell[][] = [];
    let linkStat: Stat | undefined;
    let unlinkStat: Stat | undefined;
    const kp = await loadKplug();
    if (kp.ok) {
      const source = readFileSync(path.join(ctx.root, "plugins", "grayscale.c"), "utf8");
      const module = compileOrThrow(kp.value.compile, source, { file: "grayscale.c" });
      const kernel = new kp.value.Kernel();
      const runtime = kernel.createRuntime("link-bench", {});
      const batch = 100;
      const names = Array.from({ length: batch }, (_, i) => `gray${i}`);
      // Every copy exports the same symbols, so one copy is linked at a time (under changing
      // names, so nothing can be keyed on a repeated name).
      const link: number[] = [];
      const unlink: number[] = [];
      const cycles = ctx.quick ? 20 : 200;
      const warm = ctx.quick ? 50 : 2000;
      for (let i = 0; i < warm; i++) {
        runtime.add(names[0], module);
        runtime.remove(names[0]);
      }
      for (let c = 0; c < cycles; c++) {
        for (let i = 0; i < batch; i++) {
          const t0 = now();
          runtime.add(names[i], module);
          const t1 = now();
          runtime.remove(names[i]);
          const t2 = now();
          link.push(t1 - t0);
          unlink.push(t2 - t1);
        }
      }
      linkStat = summarize(link);
      unlinkStat = summarize(unlink);
      const cycle = summarize(link.map((l, i) => l + unlink[i]));
      // A first link finds no pooled instance: `reset()` (not timed) empties the pool.
      const resettable = runtime as typeof runtime & { reset(): void };
      const first: number[] = [];
      for (let i = 0; i < (ctx.quick ? 20 : 1000); i++) {
        resettable.reset();
        const t0 = now();
        runtime.add(names[0], module);
        first.push(now() - t0);
        runtime.remove(names[0]);
      }
      rows.push(
        ["kplug link (runtime.add of a compiled module)", linkStat],
        ["kplug unlink (runtime.remove)", unlinkStat],
        ["kplug add + remove cycle", cycle],
        ["kplug add/remove cycles per second", Math.round(1e9 / cycle.median)],
        ["kplug first link (no pooled instance: new WebAssembly.Instance)", summarize(first)],
      );
    } else {
      out.unavailable.push({ part: "kplug", reason: kp.reason });
    }

    try {
      const { default: createPlugin } = await import("@extism/extism");
      const wasm = new WebAssembly.Module(extismGrayscaleModule(4 << 20));
      const open = await measureBatchedAsync(async (n) => {
        for (let i = 0; i < n; i++) {
          const p = await createPlugin({ wasm: [{ module: wasm }] }, { useWasi: false });
          await p.close();
        }
      }, ctx.profile);
      rows.push(["Extism createPlugin + close (compiled module)", open]);
    } catch (e) {
      out.unavailable.push({ part: "Extism", reason: e instanceof Error ? e.message : String(e) });
    }
    try {
      const { getQuickJS } = await import("quickjs-emscripten");
      const qjs = await getQuickJS();
      const stat = await measureBatchedAsync(async (n) => {
        for (let i = 0; i < n; i++) {
          const vm = qjs.newContext();
          vm.unwrapResult(vm.evalCode(GRAY_JS)).dispose();
          vm.dispose();
        }
      }, ctx.profile);
      rows.push(["QuickJS new context + eval + dispose", stat]);
    } catch (e) {
      out.unavailable.push({ part: "QuickJS", reason: e instanceof Error ? e.message : String(e) });
    }

    out.tables.push({
      id: "link",
      title: "Link / unlink the grayscale plugin (median per operation)",
      columns: ["Operation", "time"],
      rows,
      notes: [
        "The Extism figure includes instantiating the plugin's 86-page memory; kplug plugins share their runtime's pooled memory, which is how link stays in microseconds.",
      ],
    });
    const extism = rows.find((r) => String(r[0]).startsWith("Extism"))?.[1] as Stat | undefined;
    const quick = rows.find((r) => String(r[0]).startsWith("QuickJS"))?.[1] as Stat | undefined;
    const peers: { name: string; stat: Stat }[] = [];
    if (extism) peers.push({ name: "Extism open+close", stat: extism });
    if (quick) peers.push({ name: "QuickJS context", stat: quick });
    const best = peers.sort((x, y) => x.stat.median - y.stat.median)[0];
    out.summary.push(
      {
        measure: "Link (compiled grayscale plugin)",
        paper: "3.1 µs",
        kplug: linkStat?.median ?? null,
        peer: best?.stat.median ?? null,
        peerName: best?.name ?? "",
        unit: "ns",
        target: "≤ 3.1 µs",
      },
      {
        measure: "Unlink",
        paper: "1.6 µs",
        kplug: unlinkStat?.median ?? null,
        peer: null,
        peerName: "",
        unit: "ns",
        target: "≤ 1.6 µs",
      },
    );
  },
};
