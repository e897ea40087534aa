// CPU time by thread, from Linux's /proc/<pid>/task/<tid>/schedstat (nanoseconds on CPU), so a
// benchmark can say where the CPU of a request went: the server's main thread, its other
// threads (plugin workers, V8's GC helpers, libuv), the load generator. Elsewhere it is absent.

import { readdirSync, readFileSync } from "node:fs";

/** Microseconds on CPU of each thread of a process, or undefined where /proc cannot say. */
export function threadCpu(pid: number): Map<number, number> | undefined {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const out = new Map<number, number>();
  for (const tid of tids) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      if (Number.isFinite(ns)) out.set(Number(tid), ns / 1000);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out.size > 0 ? out : undefined;
}

/** CPU used between two readings: the main thread (tid = pid) and all the others. */
export function cpuBetween(
  pid: number,
  before: Map<number, number>,
  after: Map<number, number>,
): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const [tid, us] of after) {
    const d = us - (before.get(tid) ?? 0);
    if (tid === pid) main += d;
    else others += d;
  }
  return { main, others };
}
