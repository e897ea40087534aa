// Microbenchmark: a plugin worker's own cost per transcode job, plugin chain vs the trusted JS
// transform, on the same image (no threads, no HTTP): PluginWorker.onJob as the lane calls it.
// Usage: node --import tsx bench/worker-path-micro.ts [WIDTHxHEIGHT] [rounds]
import { PluginLibrary } from "../httpd/library.ts";
import { defaultParams } from "../httpd/plugin-abi.ts";
import { PluginWorker } from "../httpd/plugin-worker.ts";
import { createLaneMemory, LaneViews } from "../httpd/pool-lane.ts";
import type { JobResult, TranscodeJob } from "../httpd/pool-protocol.ts";
import { librarySpecs } from "../httpd/worker-pool.ts";

const [w, h] = (process.argv[2] ?? "64x48").split("x").map(Number);
const rounds = Number(process.argv[3] ?? 20000);
const lib = await PluginLibrary.load(new URL("../plugins/", import.meta.url).pathname);
const worker = new PluginWorker(
  {
    type: "init",
    library: librarySpecs(lib.modules),
    cache: { maxRuntimes: 10, maxBytes: 1 << 30, idleMs: 60000 },
    maxModuleBytes: 16 << 20,
  },
  undefined,
  { post: () => {}, lane: new LaneViews(createLaneMemory()) },
);
// Pixels in a SharedArrayBuffer after a PPM header, as the image store hands them to workers.
const OFFSET = Number(process.env.OFFSET ?? 13);
const data = new Uint8Array(new SharedArrayBuffer(w * h * 3 + 64), OFFSET, w * h * 3);
for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 255;
const slab = new Uint8Array(new SharedArrayBuffer(1 << 20));
const job = (engine: "plugin" | "js"): TranscodeJob => ({
  kind: "transcode",
  steps: ["grayscale"],
  engine,
  params: defaultParams(),
  image: { width: w, height: h, channels: 3, stride: w * 3, data },
  output: "pnm",
  deadlineMs: 5000,
});
let last: JobResult<unknown> | undefined;
const reply = (r: JobResult<unknown>) => {
  last = r;
};
const times = { plugin: [] as number[], js: [] as number[] };
const BATCH = 200;
// Between jobs, touch this much memory (as the main thread and wrk do between a worker's jobs).
const thrash = Number(process.env.THRASH ?? 0);
const junk = new Int32Array(thrash >> 2);
for (let r = 0; r < rounds / BATCH; r++) {
  for (const engine of r % 2 ? (["plugin", "js"] as const) : (["js", "plugin"] as const)) {
    const j = job(engine);
    const t0 = process.hrtime.bigint();
    let spent = 0n;
    for (let i = 0; i < BATCH; i++) {
      if (thrash) for (let k = 0; k < junk.length; k += 16) junk[k]++;
      const t1 = process.hrtime.bigint();
      worker.onJob(i, j, reply, slab);
      spent += process.hrtime.bigint() - t1;
    }
    void t0;
    times[engine].push(Number(spent) / BATCH / 1000);
  }
  if (!last?.ok) throw new Error(JSON.stringify(last));
}
const med = (a: number[]) =>
  a.slice(a.length / 4).sort((x, y) => x - y)[Math.floor((a.length * 3) / 8)];
const p = med(times.plugin);
const j = med(times.js);
console.log(
  `${w}x${h}: plugin ${p.toFixed(2)} µs/job, js ${j.toFixed(2)} µs/job, plugin÷js ${(p / j).toFixed(2)}`,
);
