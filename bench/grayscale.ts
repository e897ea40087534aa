// Grayscale of a 1210x910 photograph through every path a Node developer could choose (issue 5
// item 6): the kplug plugin, plain JS, sharp, Extism (with its copies in and out), QuickJS,
// a worker thread and a child process, with gcc -O2 as the native reference.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compileOrThrow, loadKplug } from "./kplug.ts";
import { buildNative, hasCommand, nativeCompilers, runNative } from "./native.ts";
import { ChildPeer, WorkerPeer } from "./peers/channels.ts";
import { extismGrayscaleModule } from "./peers/extism-modules.ts";
import { grayscaleJs } from "./peers/gray-js.mjs";
import { measureBatched, measureBatchedAsync, type Stat, summarize } from "./stats.ts";
import { includeDirs, kernelPath, kernelSuite } from "./suite.ts";
import type { BenchContext, BenchGroup, GroupOutput } from "./types.ts";

// The shared sample photographs sit beside the repository (read-only, optional).
const IMAGE_DIR = path.resolve(import.meta.dirname, "..", "..", "shared", "images");
const WIDTH = 1210;
const HEIGHT = 910;

interface RgbImage {
  name: string;
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** Parses a binary P6 PPM (maxval 255). */
function parsePpm(name: string, data: Buffer): RgbImage | null {
  const header =
    /^P6\s+(?:#[^\n]*\n\s*)*(\d+)\s+(?:#[^\n]*\n\s*)*(\d+)\s+(?:#[^\n]*\n\s*)*255\s/.exec(
      data.subarray(0, 200).toString("latin1"),
    );
  if (!header) return null;
  const width = Number(header[1]);
  const height = Number(header[2]);
  const start = header[0].length;
  if (data.length < start + width * height * 3) return null;
  return {
    name,
    width,
    height,
    rgb: new Uint8Array(data.subarray(start, start + width * height * 3)),
  };
}

function loadImage(): RgbImage {
  if (existsSync(IMAGE_DIR)) {
    const file = readdirSync(IMAGE_DIR)
      .filter((f) => f.endsWith(`-${WIDTH}x${HEIGHT}.ppm`))
      .sort()[0];
    const img = file && parsePpm(file, readFileSync(path.join(IMAGE_DIR, file)));
    if (img) return img;
  }
  // No sample photograph: a synthetic gradient with noise of the same size.
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3);
  let s = 1;
  for (let i = 0; i < WIDTH * HEIGHT; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    rgb[3 * i] = (i % WIDTH) & 255;
    rgb[3 * i + 1] = Math.floor(i / WIDTH) & 255;
    rgb[3 * i + 2] = s >>> 24;
  }
  return { name: "synthetic", width: WIDTH, height: HEIGHT, rgb };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

const QUICKJS_PROGRAM = `(function (buf, width, height) {
  const src = new Uint8Array(buf);
  const dst = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    let p = y * width * 3, q = y * width; const end = q + width;
    while (q < end) { dst[q++] = (77 * src[p] + 150 * src[p + 1] + 29 * src[p + 2] + 128) >> 8; p += 3; }
  }
  return dst.buffer;
})`;

interface PathResult {
  name: string;
  stat: Stat;
  note: string;
  output?: Uint8Array;
}

export const grayscaleGroup: BenchGroup = {
  id: "grayscale",
  title: "Grayscale of a 1210x910 photograph, every path",
  description:
    "One 1210x910 RGB photograph (from ../shared/images when present, else synthetic) to 8-bit " +
    "gray with the same BT.601 fixed-point formula everywhere except sharp, which applies " +
    "libvips' own conversion. Outputs of every exact path are compared byte for byte.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    const img = loadImage();
    const { width, height, rgb } = img;
    const pixels = width * height;
    const results: PathResult[] = [];
    const attempt = async (part: string, fn: () => Promise<void> | void) => {
      ctx.log(`  ${part}`);
      try {
        await fn();
      } catch (e) {
        out.unavailable.push({ part, reason: e instanceof Error ? e.message : String(e) });
      }
    };
    const slow = { ...ctx.profile, minSampleUs: 0 };

    await attempt("kplug", async () => {
      const kp = await loadKplug();
      if (!kp.ok) throw new Error(kp.reason);
      const source = readFileSync(path.join(ctx.root, "plugins", "grayscale.c"), "utf8");
      const module = compileOrThrow(kp.value.compile, source, { file: "grayscale.c" });
      const kernel = new kp.value.Kernel();
      const runtime = kernel.createRuntime("gray-paths", { memory: 16 << 20 });
      runtime.add("grayscale", module);
      const gray = runtime.lookup("grayscale");
      const src = runtime.alloc(rgb.length);
      const dst = runtime.alloc(pixels);
      src.bytes.set(rgb);
      if (gray(src.ptr, dst.ptr, width, height, width * 3) !== 0) throw new Error("plugin failed");
      const output = dst.bytes.slice();
      results.push({
        name: "kplug plugin (image in plugin memory)",
        stat: measureBatched((n) => {
          for (let i = 0; i < n; i++) gray(src.ptr, dst.ptr, width, height, width * 3);
        }, slow),
        note: "zero copy: the server decodes into, and encodes from, the runtime's memory",
        output,
      });
      results.push({
        name: "kplug plugin + copy in and out",
        stat: measureBatched((n) => {
          for (let i = 0; i < n; i++) {
            src.bytes.set(rgb);
            gray(src.ptr, dst.ptr, width, height, width * 3);
            dst.bytes.slice();
          }
        }, slow),
        note: "for comparison with peers that must copy",
      });
    });

    await attempt("gcc -O2 native", () => {
      const k = kernelSuite.find((s) => s.id === "gray1210")!;
      const gcc = nativeCompilers.find((c) => c.id === "gcc-O2")!;
      if (!hasCommand(gcc.cmd)) throw new Error("gcc is not installed");
      const exe = buildNative(
        gcc,
        {
          driver: path.join(ctx.root, "bench", "native", "driver.c"),
          kernel: kernelPath(ctx.root, k),
          includeDirs: includeDirs(ctx.root, k),
          dependencies: [path.join(ctx.root, "plugins", "grayscale.c")],
        },
        ctx.buildDir,
      );
      const r = runNative(exe, k.n, ctx.profile);
      results.push({
        name: "gcc -O2, native (reference)",
        stat: summarize(r.samplesNs),
        note: "same plugin source in a C driver (synthetic image of the same size)",
      });
    });

    await attempt("plain JS", () => {
      const dst = new Uint8Array(pixels);
      grayscaleJs(rgb, dst, width, height, width * 3);
      results.push({
        name: "plain JS (trusted, in-process)",
        stat: measureBatched((n) => {
          for (let i = 0; i < n; i++) grayscaleJs(rgb, dst, width, height, width * 3);
        }, slow),
        note: "no isolation at all",
        output: dst.slice(),
      });
    });

    await attempt("sharp", async () => {
      const { default: sharp } = await import("sharp");
      const run = () =>
        sharp(rgb, { raw: { width, height, channels: 3 } })
          .grayscale()
          .raw()
          .toBuffer();
      const first = await run();
      if (first.length !== pixels) throw new Error(`sharp returned ${first.length} bytes`);
      const reference = results.find((r) => r.output)?.output;
      const diff = reference
        ? ` (mean |Δ| vs BT.601: ${meanAbsDiff(first, reference).toFixed(2)})`
        : "";
      results.push({
        name: "sharp .grayscale() on raw RGB",
        stat: await measureBatchedAsync(async (n) => {
          for (let i = 0; i < n; i++) await run();
        }, slow),
        note: `libvips, native code on its thread pool; its own formula${diff}`,
      });
    });

    await attempt("Extism", async () => {
      const { default: createPlugin } = await import("@extism/extism");
      const plugin = await createPlugin(
        { wasm: [{ data: extismGrayscaleModule(rgb.length) }] },
        { useWasi: false },
      );
      try {
        const output = (await plugin.call("grayscale", rgb))?.bytes();
        await plugin.reset();
        if (!output) throw new Error("no output");
        results.push({
          name: "Extism JS SDK (copy in and out)",
          stat: await measureBatchedAsync(async (n) => {
            for (let i = 0; i < n; i++) {
              await plugin.call("grayscale", rgb);
              await plugin.reset();
            }
          }, slow),
          note: "input and output cross Extism's kernel 8 bytes per host call, as its PDKs do",
          output: new Uint8Array(output),
        });
      } finally {
        await plugin.close();
      }
    });

    await attempt("quickjs-emscripten", async () => {
      const { getQuickJS } = await import("quickjs-emscripten");
      const vm = (await getQuickJS()).newContext();
      try {
        const fn = vm.unwrapResult(vm.evalCode(QUICKJS_PROGRAM));
        const w = vm.newNumber(width);
        const h = vm.newNumber(height);
        const run = () => {
          const buf = vm.newArrayBuffer(rgb.slice().buffer);
          const result = vm.unwrapResult(vm.callFunction(fn, vm.undefined, buf, w, h));
          const bytes = vm.getArrayBuffer(result);
          const copy = bytes.value.slice();
          bytes.dispose();
          result.dispose();
          buf.dispose();
          return copy;
        };
        const output = run();
        const quickOpts = { ...slow, warmupMs: 0, minSamples: ctx.quick ? 1 : 3, maxSamples: 10 };
        results.push({
          name: "quickjs-emscripten (copy in and out)",
          stat: measureBatched((n) => {
            for (let i = 0; i < n; i++) run();
          }, quickOpts),
          note: "the same JS, interpreted by QuickJS compiled to wasm",
          output,
        });
        w.dispose();
        h.dispose();
        fn.dispose();
      } finally {
        vm.dispose();
      }
    });

    await attempt("worker thread", async () => {
      const peer = new WorkerPeer();
      try {
        const output = await peer.grayscale(rgb, width, height);
        results.push({
          name: "worker thread (postMessage)",
          stat: await measureBatchedAsync(async (n) => {
            for (let i = 0; i < n; i++) await peer.grayscale(rgb, width, height);
          }, slow),
          note: "image structured-cloned in, result transferred back",
          output,
        });
      } finally {
        await peer.close();
      }
    });

    await attempt("child process", async () => {
      const peer = new ChildPeer();
      try {
        const frame = ChildPeer.grayscaleFrame(rgb, width, height);
        const output = new Uint8Array(await peer.grayscale(frame));
        results.push({
          name: "child process (pipe)",
          stat: await measureBatchedAsync(async (n) => {
            for (let i = 0; i < n; i++) await peer.grayscale(frame);
          }, slow),
          note: "image written to the child's stdin, result read from its stdout",
          output,
        });
      } finally {
        await peer.close();
      }
    });

    const reference = results.find((r) => r.output)?.output;
    const mismatched = results.filter(
      (r) => r.output && reference && !sameBytes(r.output, reference),
    );
    const kplug = results.find((r) => r.name.startsWith("kplug plugin (image"));
    out.tables.push({
      id: "grayscale-paths",
      title: `Grayscale of ${img.name} (${width}x${height}), median per image`,
      columns: ["Path", "time", "÷ kplug", "output", "notes"],
      rows: results.map((r) => [
        r.name,
        r.stat,
        kplug ? r.stat.median / kplug.stat.median : null,
        r.output ? (mismatched.includes(r) ? "DIFFERS" : "identical") : "—",
        r.note,
      ]),
    });
    out.charts.push({
      id: "grayscale-paths",
      title: `Grayscale ${width}x${height}: time per image (log scale)`,
      kind: "bar",
      xLabel: "",
      yLabel: "time per image (log scale)",
      yUnit: "ns",
      logY: true,
      categories: results.map((r) => r.name),
      series: [
        { name: "median", points: results.map((r, i): [number, number] => [i, r.stat.median]) },
      ],
    });
    const peers = results.filter(
      (r) =>
        !r.name.startsWith("kplug") && !r.name.startsWith("gcc") && !r.name.startsWith("plain"),
    );
    const best = peers.sort((a, b) => a.stat.median - b.stat.median)[0];
    out.summary.push({
      measure: "Grayscale 1210x910 photograph, in-process plugin",
      paper: "—",
      kplug: kplug?.stat.median ?? null,
      peer: best?.stat.median ?? null,
      peerName: best?.name.replace(/ \(.*/, "") ?? "",
      unit: "ns",
    });
    if (mismatched.length > 0) {
      throw new Error(`grayscale outputs differ: ${mismatched.map((r) => r.name).join(", ")}`);
    }
  },
};
