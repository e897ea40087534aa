// The web-server macro-benchmark, the paper's practical example: service time measured inside
// the server (request parsed -> response ended) for the paper's four PPM sizes, grayscale,
// cache off, in four modes side by side — no transcoding, the trusted JS function (the paper's
// "unprotected kernel function", run in the workers where plugins run), the kplug plugin, and
// the same C built by gcc -O2 as an out-of-process helper over a pipe — then throughput per
// mode under load from autocannon on loopback, with the server in its own process so the two
// share no core.

import { type ChildProcess, spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { ensureSamples, PAPER_SIZES } from "../httpd/samples.ts";
import { ImageServer, type ServiceSample } from "../httpd/server.ts";
import { type Stat, summarize } from "./stats.ts";
import type { BenchContext, BenchGroup, Cell, GroupOutput } from "./types.ts";

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number };
  errors: number;
  non2xx: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
}) => Promise<AutocannonResult>;

const MODES = [
  { id: "none", label: "no transcoding", query: "" },
  { id: "js", label: "trusted JS in a worker", query: "?plugin=grayscale&engine=js" },
  { id: "plugin", label: "kplug plugin", query: "?plugin=grayscale" },
  {
    id: "helper",
    label: "out-of-process (gcc -O2, pipe)",
    query: "?plugin=grayscale&engine=helper",
  },
] as const;

type ModeId = (typeof MODES)[number]["id"];

const imageName = ([w, h]: readonly [number, number]) => `valley-${w}x${h}.ppm`;

function get(agent: Agent, base: URL, pathAndQuery: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: base.hostname, port: base.port, path: pathAndQuery, agent },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function measureServiceTimes(
  ctx: BenchContext,
  imagesDir: string,
): Promise<Map<string, Stat>> {
  const samples: ServiceSample[] = [];
  let recording = false;
  const server = await ImageServer.create({
    imagesDir,
    buildDir: ctx.buildDir,
    cache: false,
    helper: true,
    log: ctx.log,
    onServiceTime: (s) => {
      if (recording) samples.push(s);
    },
  });
  const stats = new Map<string, Stat>();
  try {
    if (!server.helper) throw new Error("the out-of-process helper could not be built (gcc?)");
    const base = new URL(await server.listen(0));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { warmupMs, budgetMs, minSamples, maxSamples } = ctx.profile;
    for (const size of PAPER_SIZES) {
      const targets = MODES.map((m) => `/images/${imageName(size)}${m.query}`);
      const warmEnd = performance.now() + warmupMs;
      do {
        for (const target of targets) {
          const status = await get(agent, base, target);
          if (status !== 200) throw new Error(`${target}: HTTP ${status}`);
        }
      } while (performance.now() < warmEnd);
      // Modes take turns request by request, so load drifting on a shared machine hits all
      // of them alike; the order rotates every round, so no mode always follows the same one
      // (the request after the out-of-process helper's finds caches cold from its process
      // switch). Each sample is attributed by the engine the server reports.
      samples.length = 0;
      recording = true;
      const end = performance.now() + budgetMs * MODES.length;
      let rounds = 0;
      while (rounds < maxSamples && (rounds < minSamples || performance.now() < end)) {
        for (let i = 0; i < targets.length; i++) {
          await get(agent, base, targets[(i + rounds) % targets.length]);
        }
        rounds++;
      }
      recording = false;
      for (const mode of MODES) {
        const ms = samples.filter((s) => s.engine === mode.id).map((s) => s.ms * 1e6);
        stats.set(`${mode.id}@${size[0]}`, summarize(ms));
      }
    }
    agent.destroy();
  } finally {
    await server.close();
  }
  return stats;
}

/** Starts `kplug serve` in its own process (cache off) and returns its URL. */
async function startServerProcess(
  ctx: BenchContext,
  imagesDir: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(ctx.root, "cli", "main.ts"),
      "serve",
      "--port",
      "0",
      "--images",
      imagesDir,
      "--data",
      ctx.buildDir,
      "--no-cache",
      "--admin-token",
      "bench-admin-token-not-used-000000",
    ],
    { cwd: ctx.root, stdio: ["ignore", "pipe", "pipe"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error("kplug serve did not start in 60 s")), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      text += d.toString();
      const m = /(http:\/\/[\d.:]+)\//.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`kplug serve exited (${code})`)));
  });
  return { child, url };
}

async function throughput(
  url: string,
  seconds: number,
): Promise<{ rps: number; p50: number; errors: number }> {
  const result = await autocannon({ url, connections: 8, duration: seconds, pipelining: 1 });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

export const serverBenchGroup: BenchGroup = {
  id: "server",
  title: "Web server: image service time and throughput",
  description:
    "Grayscale transcoding of PPM images of the paper's four sizes by `kplug serve`, cache off. " +
    "Service time is measured inside the server from the request event to the response's " +
    "`finish`, one request at a time over keep-alive; throughput is autocannon (8 connections) " +
    "against the server running in its own process.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    const imagesDir = await ensureSamples(ctx.buildDir);
    const stats = await measureServiceTimes(ctx, imagesDir);
    const sizeLabel = (s: readonly [number, number]) =>
      `${s[0]}x${s[1]} (${Math.round((s[0] * s[1] * 3) / 1000)} KB)`;
    const rows: Cell[][] = MODES.map((m) => [
      m.label,
      ...PAPER_SIZES.map((s) => stats.get(`${m.id}@${s[0]}`) ?? null),
    ]);
    const ratio = (a: ModeId, b: ModeId, s: readonly [number, number]) =>
      stats.get(`${a}@${s[0]}`)!.median / stats.get(`${b}@${s[0]}`)!.median;
    rows.push(["plugin ÷ trusted JS", ...PAPER_SIZES.map((s) => ratio("plugin", "js", s))]);
    rows.push(["out-of-process ÷ plugin", ...PAPER_SIZES.map((s) => ratio("helper", "plugin", s))]);
    out.tables.push({
      id: "server-service-time",
      title: "Service time per request at the server, grayscale, cache off (median)",
      columns: ["Mode", ...PAPER_SIZES.map(sizeLabel)],
      rows,
      notes: [
        "Every mode finds the original (and its parsed pixels) in the server's memory, checked against the file by a stat at most once a second; no transcoding sends those bytes.",
        "Transcoding modes include the transform and writing the PGM response; the plugin mode also copies the pixels into the runtime's memory and the result out of it.",
        "The plugin and the trusted JS transform both run in the server's worker threads (no transcode runs on the event loop), so both include the hop to a worker and back; the out-of-process helper is called from the main thread over a pipe.",
        "Target: the plugin is at least as fast as the trusted JS function at every size.",
      ],
    });
    out.charts.push({
      id: "server-service-time",
      title: "Service time by image size and mode (log scale)",
      kind: "line",
      xLabel: "image pixels",
      yLabel: "service time",
      yUnit: "ns",
      logY: true,
      series: MODES.map((m) => ({
        name: m.label,
        points: PAPER_SIZES.map(
          (s) => [s[0] * s[1], stats.get(`${m.id}@${s[0]}`)!.median] as [number, number],
        ),
      })),
    });
    // The target holds "at every size", so the summary quotes the size where the plugin fares
    // worst against the trusted JS function.
    const worst = PAPER_SIZES.reduce((a, b) =>
      ratio("plugin", "js", b) > ratio("plugin", "js", a) ? b : a,
    );
    out.summary.push({
      measure: `web server: grayscale service time, worst of the 4 sizes (${worst[0]}x${worst[1]}), plugin ÷ trusted JS`,
      paper: "plugin ≈ kernel function",
      kplug: ratio("plugin", "js", worst),
      peer: ratio("helper", "js", worst),
      peerName: "out-of-process gcc -O2",
      unit: "ratio",
      target: "≤ 1.0",
    });

    const seconds = ctx.quick ? 1 : 5;
    const loadSizes = ctx.quick ? [PAPER_SIZES[1]] : [PAPER_SIZES[1], PAPER_SIZES[3]];
    const { child, url } = await startServerProcess(ctx, imagesDir);
    try {
      const rps = new Map<string, { rps: number; p50: number; errors: number }>();
      for (const size of loadSizes) {
        for (const mode of MODES) {
          const r = await throughput(`${url}/images/${imageName(size)}${mode.query}`, seconds);
          rps.set(`${mode.id}@${size[0]}`, r);
        }
      }
      const tput: Cell[][] = [];
      for (const size of loadSizes) {
        const base = rps.get(`none@${size[0]}`)!.rps;
        for (const mode of MODES) {
          const r = rps.get(`${mode.id}@${size[0]}`)!;
          tput.push([
            sizeLabel(size),
            mode.label,
            Math.round(r.rps),
            r.p50,
            r.rps / base,
            r.errors,
          ]);
        }
      }
      out.tables.push({
        id: "server-throughput",
        title: `Throughput under load (autocannon, 8 connections, ${seconds} s per cell, loopback)`,
        columns: ["Image", "Mode", "requests/s", "p50 latency (ms)", "÷ no transcoding", "errors"],
        rows: tput,
        notes: [
          "The server runs in its own process (`kplug serve --no-cache`); the load generator runs in the benchmark process, on the other core.",
          "Target: with the 99 KB image the plugin mode sustains at least half the request rate of no transcoding.",
        ],
      });
      const mid = PAPER_SIZES[1];
      out.summary.push({
        measure: `web server: requests/s with grayscale, ${mid[0]}x${mid[1]} PPM (plugin ÷ no transcoding)`,
        paper: "—",
        kplug: rps.get(`plugin@${mid[0]}`)!.rps / rps.get(`none@${mid[0]}`)!.rps,
        peer: rps.get(`helper@${mid[0]}`)!.rps / rps.get(`none@${mid[0]}`)!.rps,
        peerName: "out-of-process gcc -O2",
        unit: "ratio",
        target: "≥ 0.5",
      });
    } catch (e) {
      out.unavailable.push({ part: "throughput", reason: (e as Error).message });
    } finally {
      child.kill("SIGTERM");
    }
  },
};
