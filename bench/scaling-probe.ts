// Probe: 270 KB grayscale under wrk, a 1-worker and a 2-worker server side by side, windows
// interleaved; prints req/s and CPU µs per request (main thread, other server threads, wrk).
// Usage: node --import tsx bench/scaling-probe.ts [rounds] [seconds]
import path from "node:path";
import { ensureSamples } from "../httpd/samples.ts";
import { startBenchServer } from "./isolation-setup.ts";
import { serveFeatures } from "./serve-child.ts";
import { cpuBetween, threadCpu } from "./thread-cpu.ts";
import { runWrk } from "./wrk-load.ts";

const root = path.resolve(import.meta.dirname, "..");
const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 3);
const imagesDir = await ensureSamples("/tmp/svc9k-images");
const features = serveFeatures(root);
const servers = new Map<number, Awaited<ReturnType<typeof startBenchServer>>>();
for (const w of [1, 2])
  servers.set(w, await startBenchServer(root, { imagesDir, features, workers: w }));
const PATH = process.env.PROBE_PATH ?? "/images/valley-346x260.ppm?plugin=grayscale";
const rps: Record<number, number[]> = { 1: [], 2: [] };
try {
  for (const s of servers.values()) await runWrk(new URL(PATH, s.base).href, 8, 1);
  for (let r = 0; r < rounds; r++) {
    for (const w of r % 2 ? [2, 1] : [1, 2]) {
      const s = servers.get(w)!;
      const before = threadCpu(s.pid!)!;
      const res = await runWrk(new URL(PATH, s.base).href, 8, seconds);
      const { main, others } = cpuBetween(s.pid!, before, threadCpu(s.pid!)!);
      rps[w].push(res.rps);
      const n = res.requests;
      console.log(
        `${w} worker(s): ${res.rps.toFixed(0)} req/s  main ${(main / n).toFixed(0)} µs, others ${(others / n).toFixed(0)} µs, wrk ${(res.cpuUs / n).toFixed(0)} µs /req  p99 ${res.p99.toFixed(1)} ms`,
      );
    }
  }
} finally {
  for (const s of servers.values()) await s.stop();
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`median 2÷1: ${(med(rps[2]) / med(rps[1])).toFixed(2)}`);
