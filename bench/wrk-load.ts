// wrk (a C load generator, epoll, one thread here) for the scaling scan when it is installed: a
// request costs it a fraction of what the benchmark's own Node client spends, and on a 2-core
// machine every microsecond the load generator uses is taken from the server under test.
// Absent on a fresh machine (`apt-get install wrk`): the scan then uses the Node client only.

import { spawn, spawnSync } from "node:child_process";
import { threadCpu } from "./thread-cpu.ts";

export function wrkAvailable(): boolean {
  const r = spawnSync("wrk", ["--version"], { encoding: "utf8", timeout: 10_000 });
  return r.error === undefined && /wrk/i.test(`${r.stdout}${r.stderr}`);
}

export interface WrkResult {
  rps: number;
  /** p99 latency in ms. */
  p99: number;
  requests: number;
  /** Answers other than 2xx/3xx, and socket errors. */
  failures: number;
  /** wrk's own CPU time (µs), read from /proc just before it exits; NaN where unknown. */
  cpuUs: number;
}

const UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1000, m: 60_000 };

/** Runs wrk against `url` with `connections` keep-alive connections for `seconds`. */
export async function runWrk(
  url: string,
  connections: number,
  seconds: number,
): Promise<WrkResult> {
  const child = spawn(
    "wrk",
    ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "--timeout", "10s", url],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let text = "";
  child.stdout.on("data", (d: Buffer) => {
    text += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    text += d.toString();
  });
  // Its CPU, sampled until it exits (the last sample misses at most 50 ms of a few seconds).
  // Per thread, the last reading seen: wrk joins its load thread before it exits, so a sample
  // taken then no longer lists the thread that did the work.
  const seen = new Map<number, number>();
  let cpuUs = Number.NaN;
  const sample = () => {
    const t = child.pid === undefined ? undefined : threadCpu(child.pid);
    if (!t) return;
    for (const [tid, us] of t) seen.set(tid, Math.max(us, seen.get(tid) ?? 0));
    cpuUs = [...seen.values()].reduce((a, b) => a + b, 0);
  };
  const timer = setInterval(sample, 50);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${text.trim().split("\n").pop()}`);
  const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(text)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(text)?.[1]);
  const p99m = /\s99%\s+([\d.]+)(us|ms|s|m)\b/.exec(text);
  const non2xx = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(text)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  if (!Number.isFinite(rps)) throw new Error(`unreadable wrk output: ${text.slice(0, 300)}`);
  return {
    rps,
    p99: p99m ? Number(p99m[1]) * UNIT_MS[p99m[2]] : Number.NaN,
    requests,
    failures: non2xx + socketErrors,
    cpuUs,
  };
}
