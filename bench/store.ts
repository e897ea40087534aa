// The plugin store (issue 11), measured on `kplug serve` child processes:
//   (a) propagation: an upload acknowledged by node A, until node B (same PostgreSQL store,
//       LISTEN/NOTIFY) shows the new version in GET /clients/{id};
//   (b) requests/s of a fixed good-client load through nginx in front of 1 node and of 2 nodes
//       (both balancers run side by side; their windows alternate in one run);
//   (c) start-up time (spawn to the URL on stdout) against the number of stored plugins, for
//       the data directory and for PostgreSQL. The store is seeded directly (store/ API) with
//       modules the server compiled itself, so a start-up reuses them instead of compiling.
//   (d) start-up after a compiler change (every stored module stale): spawn to listening, to
//       ready (GET /readyz), and the second start-up, which reuses the modules written back.
// PostgreSQL is a throwaway server (test/helpers/postgres.ts); without it or nginx, the parts
// that need them are recorded as not installed.

import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { createServer } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { ensureSamples } from "../httpd/samples.ts";
import { openStore } from "../store/index.ts";
import type { TestPostgres } from "../test/helpers/postgres.ts";
import { ClosedLoop, call, type HttpCall, percentile } from "./http-load.ts";
import { GOOD_GRAY } from "./isolation-plugins.ts";
import { type ServerChild, startServe } from "./serve-child.ts";
import { summarize } from "./stats.ts";
import type { BenchContext, BenchGroup, GroupOutput } from "./types.ts";

const ADMIN_TOKEN = "bench-store-admin-token-00000000";
const TOKEN = "bench-store-client-token-0123456789";
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const GOOD_IMAGE = "valley-210x158.ppm";
/** Requests the load generator keeps in flight through the balancer. */
const LANES = 8;
/** Plugins per seeded client: start-up reads clients of this many plugins each. */
const PER_CLIENT = 10;

/** A plugin `name` whose output is a flat image of `value` (each upload a new source). */
const flat = (name: string, value: number) => `#include "kplug/image.h"
int ${name}_transform(const image *in, image *out, const params *p) {
  (void)p;
  int rc = image_alloc(out, in->width, in->height, 1);
  if (rc) return rc;
  for (int i = 0; i < in->width * in->height; i++) out->pixels[i] = ${value & 255};
  return IMAGE_OK;
}
`;

interface Node extends ServerChild {
  base: URL;
  agent: Agent;
  must(c: HttpCall, expect?: number[]): Promise<Buffer>;
}

/** `kplug serve` on `store` with the bench client; its own scratch data directory. */
async function startNode(ctx: BenchContext, imagesDir: string, store: string): Promise<Node> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "kplug-store-bench-"));
  const args = ["--store", store, "--images", imagesDir, "--data", dataDir, "--no-cache"];
  args.push("--no-helper", "--no-demo", "--admin-token", ADMIN_TOKEN, "--workers", "1");
  args.push("--client", `bench:${TOKEN}`);
  let child: ServerChild;
  try {
    child = await startServe(ctx.root, args);
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const base = new URL(child.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  return {
    ...child,
    base,
    agent,
    async must(c, expect = [200]) {
      const a = await call(base, agent, c);
      if (!expect.includes(a.status))
        throw new Error(`${c.method ?? "GET"} ${c.path}: HTTP ${a.status}: ${a.body}`);
      return a.body;
    },
    async stop() {
      agent.destroy();
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const putCall = (name: string, source: string): HttpCall => ({
  method: "PUT",
  path: `/clients/bench/plugins/${name}`,
  headers: { ...AUTH, "Content-Type": "text/x-c" },
  body: source,
});

/** The version node shows for the bench client's plugin `name`, or undefined. */
async function shownVersion(node: Node, name: string): Promise<number | undefined> {
  const body = await node.must({ path: "/clients/bench", headers: AUTH });
  const info = JSON.parse(body.toString("utf8")) as {
    plugins: { name: string; version: string }[];
  };
  const v = info.plugins.find((p) => p.name === name)?.version;
  return v === undefined ? undefined : Number(v);
}

/** Waits (polling back to back) until `node` shows at least `version`; ms from now, or throws. */
async function untilShown(node: Node, name: string, version: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (((await shownVersion(node, name)) ?? 0) >= version) return performance.now() - t0;
    if (performance.now() - t0 > 10_000) throw new Error(`version ${version} never reached B`);
  }
}

async function measurePropagation(
  ctx: BenchContext,
  out: GroupOutput,
  a: Node,
  b: Node,
): Promise<void> {
  const uploads = ctx.quick ? 10 : 50;
  const delays: number[] = [];
  for (let i = 0; i < uploads + 1; i++) {
    const body = await a.must(putCall("tone", flat("tone", i + 1)), [200, 201]);
    const { version } = JSON.parse(body.toString("utf8")) as { version: string };
    const ms = await untilShown(b, "tone", Number(version));
    if (i > 0) delays.push(ms); // the first upload creates the plugin: a warm-up
  }
  const stat = summarize(delays.map((ms) => ms * 1e6));
  const p99 = percentile(delays, 0.99) * 1e6;
  out.tables.push({
    id: "store-propagation",
    title: "Propagation of an upload to another node (PostgreSQL, LISTEN/NOTIFY)",
    columns: ["uploads", "delay (median, IQR)", "p99 (ms)", "max (ms)"],
    rows: [[delays.length, stat, p99 / 1e6, stat.max / 1e6]],
    notes: [
      "From node A's acknowledgment of a PUT (the response received) until GET /clients/{id} on " +
        "node B shows the new version; B is polled back to back, so a figure includes up to " +
        "one poll round trip (about a millisecond). Both nodes are `kplug serve --workers 1` " +
        "processes on one throwaway PostgreSQL on loopback; p99 is the nearest rank.",
    ],
  });
  out.summary.push({
    measure: "store: upload propagation to another node, p99",
    paper: "—",
    kplug: p99,
    peer: null,
    peerName: "—",
    unit: "ns",
    target: "≤ 250 ms",
  });
}

interface Balancer {
  base: URL;
  stop(): Promise<void>;
}

function nginxInstalled(): boolean {
  return ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"].some(existsSync);
}

/** nginx on a free port in front of `nodes` (the deploy/local-fleet.sh configuration). */
async function startNginx(nodes: Node[]): Promise<Balancer> {
  const dir = mkdtempSync(path.join(tmpdir(), "kplug-store-nginx-"));
  for (const d of ["body", "proxy", "fastcgi", "uwsgi", "scgi"])
    mkdirSync(path.join(dir, d), { mode: 0o777 });
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const upstreams = nodes.map((n) => `    server ${n.base.host} max_fails=2 fail_timeout=5s;`);
  const conf = `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream kplug {
${upstreams.join("\n")}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://kplug;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  writeFileSync(path.join(dir, "nginx.conf"), conf);
  const child: ChildProcess = spawn(
    "nginx",
    ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", path.join(dir, "error.log")],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const base = new URL(`http://127.0.0.1:${port}`);
  const agent = new Agent({ keepAlive: false });
  const until = Date.now() + 10_000;
  for (;;) {
    const a = await call(base, agent, { path: "/healthz" }, 2000);
    if (a.status === 200) break;
    if (child.exitCode !== null || Date.now() > until) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error("nginx did not start");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    async stop() {
      if (child.exitCode === null) child.kill("SIGQUIT");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measureBalanced(
  ctx: BenchContext,
  out: GroupOutput,
  a: Node,
  b: Node,
): Promise<void> {
  await a.must(putCall("gray", GOOD_GRAY), [200, 201]);
  const { version } = JSON.parse(
    (
      await a.must({
        path: "/clients/bench/plugins/gray",
        headers: { ...AUTH, Accept: "application/json" },
      })
    ).toString("utf8"),
  ) as { version: string };
  await untilShown(b, "gray", Number(version));
  const one = await startNginx([a]);
  const two = await startNginx([a, b]);
  try {
    const good: HttpCall = {
      path: `/images/${GOOD_IMAGE}?client=bench&plugin=gray`,
      headers: AUTH,
    };
    const windowMs = ctx.quick ? 1000 : 5000;
    const rounds = ctx.quick ? 2 : 4;
    const rps: Record<"one" | "two", number[]> = { one: [], two: [] };
    const p99: Record<"one" | "two", number[]> = { one: [], two: [] };
    const refused: Record<"one" | "two", number> = { one: 0, two: 0 };
    for (let r = 0; r < rounds; r++) {
      for (const [key, lb] of [
        ["one", one],
        ["two", two],
      ] as const) {
        const loop = new ClosedLoop(lb.base, () => good, LANES);
        loop.start();
        await loop.measure(ctx.quick ? 200 : 1000); // warm-up: connections, runtimes
        const w = await loop.measure(windowMs);
        await loop.stop();
        rps[key].push(((w.statuses.get(200) ?? 0) * 1000) / w.windowMs);
        p99[key].push(percentile(w.latencies, 0.99));
        refused[key] += w.completed - (w.statuses.get(200) ?? 0);
      }
    }
    const cores = availableParallelism();
    const med = (xs: number[]) => summarize(xs).median;
    const row = (label: string, key: "one" | "two") => [
      label,
      med(rps[key]),
      med(rps[key]) / cores,
      med(p99[key]),
      refused[key],
    ];
    out.tables.push({
      id: "store-balanced",
      title: "Requests/s through nginx: 1 node vs 2 nodes on this machine",
      columns: [
        "behind nginx",
        "requests/s (median)",
        "requests/s per core",
        "p99 (ms)",
        "not 200",
      ],
      rows: [
        row("1 node", "one"),
        row("2 nodes", "two"),
        ["2 nodes ÷ 1 node", med(rps.two) / med(rps.one), "—", "—", "—"],
      ],
      notes: [
        `The load: ${LANES} requests in flight (closed loop, keep-alive) of GET ${GOOD_IMAGE} ` +
          "(99 KB) through the client's own grayscale plugin, transcode cache off; only 200s " +
          `count. Each node is \`kplug serve --workers 1\` on the shared PostgreSQL store; nginx ` +
          `has one worker process. ${rounds} windows of ${windowMs / 1000} s per setup, ` +
          "alternating, medians. Per core divides by the machine's " +
          `${cores} cores, which nginx, the nodes, PostgreSQL and the load generator share: a ` +
          "second node on the same cores adds no CPU, so the ratio shows the cost of the " +
          "fleet, not a scale-out.",
      ],
    });
    out.summary.push({
      measure: "store: requests/s, 2 nodes behind nginx ÷ 1 node (one machine)",
      paper: "—",
      kplug: med(rps.two) / med(rps.one),
      peer: null,
      peerName: "—",
      unit: "ratio",
    });
  } finally {
    await one.stop();
    await two.stop();
  }
}

interface StoreUnderTest {
  kind: "data directory" | "PostgreSQL";
  spec: string;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * Seeds `store` up to `count` plugins: PER_CLIENT plugins per client, copies of the modules
 * the server compiled for the `bench` client (p0..p9), so each is current for its compiler.
 */
async function seed(spec: string, from: number, count: number): Promise<void> {
  const store = await openStore(spec);
  try {
    const templates = store.plugins("bench");
    if (templates.length !== PER_CLIENT) throw new Error("seed: the templates are missing");
    for (let c = from / PER_CLIENT; c < count / PER_CLIENT; c++) {
      const id = `seed${c}`;
      await store.putClient(id, { tokenSha256: sha256(`${TOKEN}-${id}`) });
      await Promise.all(templates.map((t) => store.putPlugin(id, t.name, t.source, t.compiled)));
    }
  } finally {
    await store.close();
  }
}

/** Milliseconds from spawning `kplug serve` to its URL on stdout, and what it loaded. */
async function timedStart(
  ctx: BenchContext,
  imagesDir: string,
  spec: string,
): Promise<{ ms: number; compiled: number; plugins: number }> {
  const t0 = performance.now();
  const node = await startNode(ctx, imagesDir, spec);
  const ms = performance.now() - t0;
  try {
    const id = "seed0";
    const token = `${TOKEN}-${id}`;
    const body = await node.must({
      path: `/clients/${id}/plugins`,
      headers: { Authorization: `Bearer ${token}` },
    });
    const list = JSON.parse(body.toString("utf8")).plugins as { compileMs: number }[];
    return { ms, plugins: list.length, compiled: list.filter((p) => p.compileMs > 0).length };
  } finally {
    await node.stop();
  }
}

async function measureStartup(
  ctx: BenchContext,
  out: GroupOutput,
  imagesDir: string,
  stores: StoreUnderTest[],
): Promise<void> {
  const counts = ctx.quick ? [20, 200] : [100, 1000];
  const repeats = ctx.quick ? 1 : 3;
  const rows: (string | number | ReturnType<typeof summarize>)[][] = [];
  const series: { name: string; points: [number, number][] }[] = [];
  for (const s of stores) {
    // The templates: the bench client's ten plugins, compiled by the server itself.
    const seeder = await startNode(ctx, imagesDir, s.spec);
    try {
      for (let i = 0; i < PER_CLIENT; i++)
        await seeder.must(putCall(`p${i}`, flat(`p${i}`, i)), [200, 201]);
    } finally {
      await seeder.stop();
    }
    const points: [number, number][] = [];
    let seeded = 0;
    for (const count of counts) {
      await seed(s.spec, seeded, count);
      seeded = count;
      const samples: number[] = [];
      let compiled = 0;
      for (let r = 0; r < repeats; r++) {
        const run = await timedStart(ctx, imagesDir, s.spec);
        if (run.plugins !== PER_CLIENT)
          throw new Error(`start-up: ${run.plugins} plugins of seed0`);
        samples.push(run.ms * 1e6);
        compiled += run.compiled;
      }
      const stat = summarize(samples);
      rows.push([s.kind, count + PER_CLIENT, stat, compiled]);
      points.push([count + PER_CLIENT, stat.median]);
    }
    series.push({ name: s.kind, points });
  }
  out.tables.push({
    id: "store-startup",
    title: "Start-up time against the number of stored plugins",
    columns: ["store", "stored plugins", "spawn → listening (median)", "recompiled (seed0)"],
    rows,
    notes: [
      `From spawning \`kplug serve\` (Node start-up included) to its URL on stdout; ${repeats} ` +
        `start${repeats > 1 ? "s" : ""} per point. Plugins are ${PER_CLIENT} per client, ` +
        "written into the store directly with the modules the server compiled (its compiler " +
        "version), so start-up links in order and reuses them; the last column counts " +
        "plugins of one seeded client that reported a compile (0 = reused).",
    ],
  });
  out.charts.push({
    id: "store-startup",
    title: "Start-up time against stored plugins",
    kind: "line",
    xLabel: "stored plugins",
    yLabel: "spawn to listening",
    yUnit: "ns",
    series,
  });
}

/** The plugins of `from` copied into `to` as `count` plugins, modules tagged by another compiler. */
async function seedStale(from: string, to: string, count: number): Promise<void> {
  const source = await openStore(from);
  const templates = source.plugins("bench");
  await source.close();
  if (templates.length !== PER_CLIENT) throw new Error("seed: the templates are missing");
  const store = await openStore(to);
  try {
    for (let c = 0; c < count / PER_CLIENT; c++) {
      const id = `stale${c}`;
      await store.putClient(id, { tokenSha256: sha256(`${TOKEN}-${id}`) });
      await Promise.all(
        templates.map((t) =>
          store.putPlugin(
            id,
            t.name,
            t.source,
            t.compiled && { ...t.compiled, compilerVersion: "previous-compiler" },
          ),
        ),
      );
    }
  } finally {
    await store.close();
  }
}

interface LoadingStatus {
  ready: boolean;
  compiled: number;
}

/** Spawn to URL, and spawn to GET /readyz answering 200 (every stored plugin serving). */
async function timedReady(
  ctx: BenchContext,
  imagesDir: string,
  spec: string,
): Promise<{ listenMs: number; readyMs: number; compiled: number }> {
  const t0 = performance.now();
  const node = await startNode(ctx, imagesDir, spec);
  const listenMs = performance.now() - t0;
  try {
    for (;;) {
      const a = await call(node.base, node.agent, { path: "/readyz" });
      if (a.status === 200) {
        const readyMs = performance.now() - t0;
        const health = JSON.parse((await node.must({ path: "/healthz" })).toString("utf8")) as {
          loading: LoadingStatus;
        };
        return { listenMs, readyMs, compiled: health.loading.compiled };
      }
      if (performance.now() - t0 > 600_000) throw new Error("start-up: never ready");
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await node.stop();
  }
}

/**
 * A compiler change: every stored module is stale. The first start-up listens at once and
 * compiles in the background (writing modules back); the second compiles nothing.
 */
async function measureRecompile(
  ctx: BenchContext,
  out: GroupOutput,
  imagesDir: string,
  stores: StoreUnderTest[],
  fresh: (s: StoreUnderTest) => Promise<string>,
): Promise<void> {
  const count = ctx.quick ? 20 : 100;
  const rows: (string | number)[][] = [];
  for (const s of stores) {
    const spec = await fresh(s);
    await seedStale(s.spec, spec, count);
    for (const start of ["first (compiler changed)", "second"]) {
      const r = await timedReady(ctx, imagesDir, spec);
      rows.push([s.kind, count, start, fmtMs(r.listenMs), fmtMs(r.readyMs), r.compiled]);
    }
  }
  out.tables.push({
    id: "store-recompile",
    title: "Start-up after a compiler change: listening at once, compiling in the background",
    columns: ["store", "stored plugins", "start", "spawn → listening", "spawn → ready", "compiled"],
    rows,
    notes: [
      `${count} stored plugins whose modules are tagged with another compiler version. ` +
        "Ready is the first 200 of GET /readyz (polled every 10 ms); until then a client whose " +
        "plugins are still compiling is answered 503 with a Retry-After. One worker thread " +
        "compiles (`--workers 1`). The compiled modules are written back under the same " +
        "versions, so the second start-up reuses them.",
    ],
  });
}

const fmtMs = (ms: number) =>
  `${ms < 1000 ? Math.round(ms) : (ms / 1000).toFixed(2)} ${ms < 1000 ? "ms" : "s"}`;

export const storeGroup: BenchGroup = {
  id: "store",
  title: "Plugin store: propagation, a fleet behind nginx, start-up",
  description:
    "The plugin store of issue 11 on `kplug serve` processes: how long an upload on one node " +
    "takes to show on another node sharing a PostgreSQL store; requests/s of a fixed load " +
    "through nginx in front of 1 node and of 2 nodes on this machine; and start-up time " +
    "against the number of stored plugins for the data directory and PostgreSQL.",
  async run(ctx: BenchContext, out: GroupOutput): Promise<void> {
    const imagesDir = await ensureSamples(ctx.buildDir);
    const scratch = mkdtempSync(path.join(tmpdir(), "kplug-store-bench-file-"));
    const stores: StoreUnderTest[] = [{ kind: "data directory", spec: scratch }];
    let pg: TestPostgres | undefined;
    try {
      try {
        // Loaded here: `pg` is an optional dependency, and the other groups run without it.
        const { TestPostgres } = await import("../test/helpers/postgres.ts");
        pg = await TestPostgres.start();
      } catch (e) {
        const reason = `PostgreSQL not installed or not startable: ${(e as Error).message.split("\n")[0]}`;
        out.unavailable.push({ part: "propagation, fleet, PostgreSQL start-up", reason });
      }
      if (pg) {
        const url = await pg.createDatabase();
        const a = await startNode(ctx, imagesDir, url);
        const b = await startNode(ctx, imagesDir, url);
        try {
          await measurePropagation(ctx, out, a, b);
          if (nginxInstalled()) await measureBalanced(ctx, out, a, b);
          else out.unavailable.push({ part: "1 vs 2 nodes", reason: "nginx not installed" });
        } finally {
          await a.stop();
          await b.stop();
        }
        stores.push({ kind: "PostgreSQL", spec: await pg.createDatabase() });
      }
      await measureStartup(ctx, out, imagesDir, stores);
      await measureRecompile(ctx, out, imagesDir, stores, async (s) =>
        s.kind === "PostgreSQL" && pg
          ? pg.createDatabase()
          : mkdtempSync(path.join(scratch, "recompile-")),
      );
    } finally {
      await pg?.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
