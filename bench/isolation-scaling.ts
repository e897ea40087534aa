// The isolation group's second half (issue 10): requests/s for the 270 KB grayscale request with
// 1, 2 and all worker threads, the latency the worker hop adds at 9 KB, and the first request
// of a client whose runtime was evicted. Each part needs a server feature that may not exist
// yet (`--workers`, an in-process mode, a bound on resident runtimes); without it the part is
// recorded as unsupported and what can be measured still is.

import { loadavg } from "node:os";
import { ClosedLoop, call, type HttpAnswer, percentile, statusMix } from "./http-load.ts";
import { GOOD_GRAY } from "./isolation-plugins.ts";
import { authOf, type BenchServer, startBenchServer, upload } from "./isolation-setup.ts";
import type { ServeFeatures } from "./serve-child.ts";
import { type Stat, summarize } from "./stats.ts";
import { cpuBetween, threadCpu } from "./thread-cpu.ts";
import type { BenchContext, Cell, GroupOutput } from "./types.ts";
import { runWrk, wrkAvailable } from "./wrk-load.ts";

export interface ScalingPlan {
  imagesDir: string;
  features: ServeFeatures;
  /** "All" workers: the machine's cores. */
  allWorkers: number;
}

const LARGE = "/images/valley-346x260.ppm?plugin=grayscale";
const SMALL_IMAGE = "/images/valley-64x48.ppm";
const SMALL_MODES = [
  { id: "none", label: "no transcoding", query: "" },
  { id: "js", label: "trusted JS in a worker", query: "?plugin=grayscale&engine=js" },
  { id: "plugin", label: "kplug plugin", query: "?plugin=grayscale" },
] as const;
/** Connections of the throughput load. */
const LOAD_LANES = 8;

export const UNSUPPORTED = "unsupported by this server";

/** One throughput window and where its CPU went (µs per request; NaN where /proc is absent). */
interface Throughput {
  generator: "node" | "wrk";
  rps: number;
  p99: number;
  answers: string;
  cpu: { main: number; others: number; loadgen: number };
}

/** CPU of the server's threads around `measure`, per request completed in it. */
async function withServerCpu<T extends { completed: number }>(
  server: BenchServer,
  measure: () => Promise<T>,
): Promise<{ result: T; main: number; others: number }> {
  const pid = server.pid;
  const before = pid === undefined ? undefined : threadCpu(pid);
  const result = await measure();
  const after = pid === undefined ? undefined : threadCpu(pid);
  if (pid === undefined || !before || !after || result.completed === 0)
    return { result, main: Number.NaN, others: Number.NaN };
  const { main, others } = cpuBetween(pid, before, after);
  return { result, main: main / result.completed, others: others / result.completed };
}

/** The 270 KB request under load from the benchmark's Node client (a closed loop in this process). */
async function nodeThroughput(ctx: BenchContext, server: BenchServer): Promise<Throughput> {
  await server.must({ path: LARGE });
  const loop = new ClosedLoop(server.base, () => ({ path: LARGE }), LOAD_LANES);
  loop.start();
  try {
    await loop.measure(ctx.quick ? 200 : 1000);
    const own = threadCpu(process.pid);
    const {
      result: w,
      main,
      others,
    } = await withServerCpu(server, () => loop.measure(ctx.quick ? 1000 : 5000));
    const ownAfter = threadCpu(process.pid);
    const loadgen =
      own && ownAfter && w.completed > 0
        ? [...ownAfter].reduce((a, [tid, us]) => a + us - (own.get(tid) ?? 0), 0) / w.completed
        : Number.NaN;
    return {
      generator: "node",
      rps: (w.completed * 1000) / w.windowMs,
      p99: percentile(w.latencies, 0.99),
      answers: statusMix(w.statuses),
      cpu: { main, others, loadgen },
    };
  } finally {
    await loop.stop();
  }
}

/** Windows of wrk per worker count, taking turns between the counts' servers. */
const WRK_WINDOWS = 5;

/** One window of the same load from wrk (one thread, LOAD_LANES connections). */
async function wrkThroughput(ctx: BenchContext, server: BenchServer): Promise<Throughput> {
  const url = new URL(LARGE, server.base).href;
  const seconds = ctx.quick ? 1 : 5;
  const { result, main, others } = await withServerCpu(server, async () => {
    const r = await runWrk(url, LOAD_LANES, seconds);
    return { ...r, completed: r.requests };
  });
  return {
    generator: "wrk",
    rps: result.rps,
    p99: result.p99,
    answers: result.failures > 0 ? `${result.failures} not 2xx/3xx or failed` : "all 200",
    cpu: { main, others, loadgen: result.cpuUs / result.requests },
  };
}

/** The hop of a transcode from its Server-Timing: the whole (transcode) minus its worker part. */
function hopOf(a: HttpAnswer): number | undefined {
  const timing = String(a.headers["server-timing"] ?? "");
  const whole = /transcode;dur=([\d.]+)/.exec(timing);
  const worker = /worker;dur=([\d.]+)/.exec(timing);
  return whole && worker ? Number(whole[1]) - Number(worker[1]) : undefined;
}

/**
 * Round trips at 9 KB, one request at a time, the modes taking turns (load drift hits all);
 * "hop" is the plugin requests' time outside the worker (Server-Timing: transcode − worker).
 */
async function smallLatencies(ctx: BenchContext, server: BenchServer): Promise<Map<string, Stat>> {
  const samples = new Map<string, number[]>(
    [...SMALL_MODES.map((m) => m.id), "hop"].map((id) => [id, []]),
  );
  const rounds = ctx.quick ? 30 : 600;
  for (let r = -5; r < rounds; r++) {
    for (let i = 0; i < SMALL_MODES.length; i++) {
      const m = SMALL_MODES[(i + r + 5) % SMALL_MODES.length];
      let a = await call(server.base, server.agent, { path: `${SMALL_IMAGE}${m.query}` });
      // Status 0 is a transport error (a keep-alive socket the server closed as it was reused):
      // the request is sent again on a fresh socket rather than ending the whole scan.
      if (a.status === 0)
        a = await call(server.base, server.agent, { path: `${SMALL_IMAGE}${m.query}` });
      if (a.status !== 200) throw new Error(`${SMALL_IMAGE}${m.query}: HTTP ${a.status}`);
      if (r < 0) continue;
      samples.get(m.id)!.push(a.ms * 1e6);
      const hop = m.id === "plugin" ? hopOf(a) : undefined;
      if (hop !== undefined) samples.get("hop")!.push(hop * 1e6);
    }
  }
  return new Map(
    [...samples].filter(([, ns]) => ns.length > 0).map(([id, ns]) => [id, summarize(ns)]),
  );
}

async function workerScan(ctx: BenchContext, out: GroupOutput, plan: ScalingPlan): Promise<void> {
  const { features, allWorkers } = plan;
  const counts: (number | undefined)[] = features.workers
    ? [...new Set([1, 2, allWorkers])]
    : [undefined];
  if (features.inProcessWorkers) counts.unshift(0);
  const scan: Cell[][] = [];
  const withWrk = wrkAvailable();
  const rps = new Map<string, number>();
  const measured: { workers: number | undefined; t: Throughput }[] = [];
  const small = new Map<number | undefined, Map<string, Stat>>();
  // Every worker count's server is up at once, so wrk's windows can take turns between them
  // (load drifting on a shared machine then hits every count alike); the Node client, far
  // heavier, measures each server once.
  const servers = new Map<number | undefined, BenchServer>();
  const loadAt = { start: loadavg()[0], end: Number.NaN };
  try {
    for (const workers of counts) {
      ctx.log(`[bench] isolation: workers ${workers ?? "(no option)"}`);
      servers.set(workers, await startBenchServer(ctx.root, { ...plan, workers }));
    }
    for (const [workers, server] of servers) {
      const t = await nodeThroughput(ctx, server);
      rps.set(`node:${workers}`, t.rps);
      measured.push({ workers, t });
      if (workers === undefined || workers <= 1)
        small.set(workers, await smallLatencies(ctx, server));
    }
    if (withWrk) {
      const windows = new Map<number | undefined, Throughput[]>();
      for (const [workers, server] of servers) {
        windows.set(workers, []);
        await runWrk(new URL(LARGE, server.base).href, LOAD_LANES, 1); // warm-up
      }
      const order = [...servers.keys()];
      for (let round = 0; round < WRK_WINDOWS; round++) {
        // The order rotates every round: no count always runs first or after the same one.
        for (let i = 0; i < order.length; i++) {
          const workers = order[(i + round) % order.length];
          windows.get(workers)!.push(await wrkThroughput(ctx, servers.get(workers)!));
        }
      }
      for (const [workers, ts] of windows) {
        // The median window by requests/s stands for the count (its CPU figures with it).
        const t = [...ts].sort((a, b) => a.rps - b.rps)[ts.length >> 1];
        rps.set(`wrk:${workers}`, t.rps);
        measured.push({
          workers,
          t: {
            ...t,
            answers: `${t.answers}; windows: ${ts.map((w) => Math.round(w.rps)).join(", ")}`,
          },
        });
      }
    }
  } finally {
    loadAt.end = loadavg()[0];
    for (const server of servers.values()) await server.stop();
  }
  const cores = (t: Throughput) => (t.rps * (t.cpu.main + t.cpu.others + t.cpu.loadgen)) / 1e6;
  for (const { workers, t } of measured) {
    const label =
      workers === undefined
        ? "in-process (no --workers)"
        : workers === 0
          ? "0 (in-process)"
          : `${workers}${workers === allWorkers ? " (all cores)" : ""}`;
    const base = rps.get(`${t.generator}:1`);
    scan.push([
      label,
      t.generator === "wrk" ? "wrk" : "Node client (this process)",
      Math.round(t.rps),
      t.p99,
      base !== undefined && workers !== 0 ? t.rps / base : null,
      t.cpu.main,
      t.cpu.others,
      t.cpu.loadgen,
      cores(t),
      t.answers,
    ]);
  }
  const one = rps.get(`${withWrk ? "wrk" : "node"}:1`);
  const arithmetic = measured
    .filter(({ workers }) => workers === 1)
    .map(({ t }) => {
      const total = t.cpu.main + t.cpu.others + t.cpu.loadgen;
      return `${t.generator === "wrk" ? "wrk" : "the Node client"}, 1 worker: ${Math.round(total)} µs of CPU a request (main thread ${Math.round(t.cpu.main)}, other server threads ${Math.round(t.cpu.others)}, load generator ${Math.round(t.cpu.loadgen)}), so 2 cores allow at most ${Math.round(2e6 / total)} requests/s (${(2e6 / total / t.rps).toFixed(2)}× what 1 worker did) and the main thread alone ${Math.round(1e6 / t.cpu.main)}`;
    });
  out.tables.push({
    id: "isolation-workers",
    title: "Requests/s for the 270 KB grayscale request by worker threads",
    columns: [
      "--workers",
      "load generator",
      "requests/s",
      "p99 (ms)",
      "÷ 1 worker",
      "CPU µs/request: server main thread",
      "other server threads",
      "load generator",
      "cores busy",
      "answers",
    ],
    rows: scan,
    notes: [
      `valley-346x260.ppm through the library's grayscale plugin, cache off, ${LOAD_LANES} requests in flight, one server per worker count, all started before measuring. ${withWrk ? `wrk: ${WRK_WINDOWS} windows of ${ctx.quick ? 1 : 5} s per count, the counts taking turns (order rotating); the row is the median window (its requests/s listed under answers). ` : ""}The machine has ${allWorkers} cores, shared by the server and the load generator${withWrk ? "" : " (wrk is not installed: only the benchmark's own Node client ran)"}; 1-minute load average ${loadAt.start.toFixed(1)} at the start of the scan, ${loadAt.end.toFixed(1)} at its end.`,
      "CPU per request is each thread's time on a CPU (Linux schedstat) over the window, divided by the requests completed: the server's main thread (HTTP, scheduling, the lane), its other threads (the plugin workers, V8's garbage-collection helpers, libuv), and the load generator's process. Cores busy = requests/s × their sum.",
      `The arithmetic: ${arithmetic.join("; ")}. A second worker can only add what the first left idle: ≥ 1.7× needs the 1-worker row bound by its worker, with the main thread and the load generator well under a core between them.`,
      "Target (issue 10): ≥ 1.7× from 1 to 2 workers on a 2-core machine.",
    ],
  });
  if (!features.workers) {
    out.unavailable.push({
      part: "worker scan",
      reason: `${UNSUPPORTED}: \`kplug serve --help\` lists no --workers (the row is today's in-process server)`,
    });
  } else if (rps.has(`${withWrk ? "wrk" : "node"}:2`) && one !== undefined) {
    out.summary.push({
      measure: `isolation: 270 KB grayscale requests/s, 2 workers ÷ 1 worker (${withWrk ? "wrk" : "Node client"})`,
      paper: "—",
      kplug: rps.get(`${withWrk ? "wrk" : "node"}:2`)! / one,
      peer: null,
      peerName: "—",
      unit: "ratio",
      target: "≥ 1.7",
    });
  }

  // The worker hop at 9 KB: the plugin's round trip with workers against the same request in
  // process (--workers 0) when the server has that mode; otherwise against the trusted JS
  // function, which runs on the main thread in any server.
  const pooled = small.get(1);
  const inProcess = small.get(0) ?? small.get(undefined);
  const rows: Cell[][] = [];
  for (const [key, label] of [
    [0, "--workers 0 (in-process)"],
    [undefined, "in-process (no --workers)"],
    [1, "--workers 1"],
  ] as const) {
    const s = small.get(key);
    if (s) {
      const hop = s.get("hop");
      rows.push([label, ...SMALL_MODES.map((m) => s.get(m.id)!), hop?.samples ? hop : null]);
    }
  }
  const notes = [
    "Round trip from the benchmark process over keep-alive, one request at a time, the modes taking turns; valley-64x48.ppm (9 KB), cache off.",
  ];
  if (pooled && inProcess) {
    const hop = pooled.get("plugin")!.median - inProcess.get("plugin")!.median;
    notes.push(
      `Worker hop (plugin with --workers 1 minus plugin in-process, medians): ${(hop / 1000).toFixed(0)} µs.`,
    );
  } else if (pooled) {
    const hop = pooled.get("hop");
    notes.push(
      hop && hop.samples > 0
        ? `Worker hop: a plugin request's transcode as the main thread timed it minus its time in the worker (Server-Timing \`transcode\` − \`worker\`, median ${(hop.median / 1000).toFixed(0)} µs, IQR ${(hop.q1 / 1000).toFixed(0)}–${(hop.q3 / 1000).toFixed(0)} µs): the scheduler, the lane's two wake-ups and the result's return. Plugin minus no transcoding (round-trip medians): ${((pooled.get("plugin")!.median - pooled.get("none")!.median) / 1000).toFixed(0)} µs. The trusted JS transform runs in the workers too, so plugin against JS compares like with like.`
        : `This server reports no worker time; plugin minus trusted JS (medians): ${((pooled.get("plugin")!.median - pooled.get("js")!.median) / 1000).toFixed(0)} µs.`,
    );
  } else {
    out.unavailable.push({
      part: "worker hop at 9 KB",
      reason: `${UNSUPPORTED}: no worker threads (the row is the in-process baseline the hop will be compared with)`,
    });
  }
  out.tables.push({
    id: "isolation-hop",
    title: "Latency at 9 KB (round trip, median)",
    columns: ["Server", ...SMALL_MODES.map((m) => m.label), "plugin's hop (Server-Timing)"],
    rows,
    notes,
  });
}

/** An evicted client's first request against its next one, with a small bound on resident runtimes. */
async function eviction(ctx: BenchContext, out: GroupOutput, plan: ScalingPlan): Promise<void> {
  const option = plan.features.runtimeCapOption;
  if (!option) {
    out.unavailable.push({
      part: "evicted client's first request",
      reason: `${UNSUPPORTED}: \`kplug serve --help\` lists no option bounding resident runtimes, and this benchmark cannot evict a runtime without one`,
    });
    return;
  }
  const resident = 4;
  const clients = Array.from({ length: 4 * resident }, (_, i) => `tenant${i}`);
  const server = await startBenchServer(ctx.root, {
    ...plan,
    workers: 1,
    clients,
    extraArgs: [option, String(resident)],
  });
  try {
    for (const id of clients) await upload(server, id, "gray", GOOD_GRAY);
    const first: number[] = [];
    const again: number[] = [];
    const rounds = ctx.quick ? 2 : 20;
    // Visiting more clients than stay resident, in a cycle, evicts each before its next turn.
    for (let r = 0; r < rounds + 1; r++) {
      for (const id of clients) {
        const path = `${SMALL_IMAGE}?client=${id}&plugin=gray`;
        const a = await call(server.base, server.agent, { path, headers: authOf(id) });
        const b = await call(server.base, server.agent, { path, headers: authOf(id) });
        if (a.status !== 200 || b.status !== 200)
          throw new Error(`${path}: HTTP ${a.status}, ${b.status}`);
        if (r === 0) continue; // the first round creates the runtimes
        first.push(a.ms * 1e6);
        again.push(b.ms * 1e6);
      }
    }
    const metrics = await call(server.base, server.agent, { path: "/metrics" });
    const evictions = metrics.body
      .toString("utf8")
      .split("\n")
      .filter((l) => /evict/i.test(l) && !l.startsWith("#"));
    out.tables.push({
      id: "isolation-eviction",
      title: "First request of a client whose runtime was evicted (9 KB, the client's own plugin)",
      columns: ["Request", "round trip (median)"],
      rows: [
        ["first after eviction (runtime rebuilt)", summarize(first)],
        ["the next one (resident)", summarize(again)],
      ],
      notes: [
        `\`${option} ${resident}\` with --workers 1; ${clients.length} clients visited in a cycle, each twice in a row.`,
        evictions.length > 0
          ? `The server's metrics: ${evictions.join("; ")}.`
          : "The server's /metrics show no eviction counter.",
      ],
    });
  } finally {
    await server.stop();
  }
}

export async function measureScaling(
  ctx: BenchContext,
  out: GroupOutput,
  plan: ScalingPlan,
): Promise<void> {
  for (const [part, run] of [
    ["worker scan and hop", workerScan],
    ["evicted client's first request", eviction],
  ] as const) {
    try {
      await run(ctx, out, plan);
    } catch (e) {
      out.unavailable.push({ part, reason: (e as Error).message });
    }
  }
}
