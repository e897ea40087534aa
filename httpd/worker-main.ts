// A plugin worker's entry: the thread where plugin code runs, so it never runs on the server's
// event loop (issue 10). The jobs are plugin-worker.ts's; this file starts the worker, drains
// its inbox and wakes it for lane jobs (worker-lane-io.ts).
//
// Everything here is rebuilt from what the main thread sends: the library's compiled modules at
// `init`, a client's spec when a job names a client/stamp the cache does not hold. A worker may
// be terminated at any moment (the watchdog does it to stop a runaway job) and a new one starts
// from nothing.
//
// After `init` the worker never turns its event loop: it sleeps in Atomics.wait on its lane's
// bell (pool-lane.ts), drains its inbox port synchronously (receiveMessageOnPort) and runs the
// lane's transcode job, if there is a new one. Idle runtimes are swept when a wait times out.

import {
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  workerData,
} from "node:worker_threads";
import type { Kernel } from "../kernel/index.ts";
import { PluginWorker, type Reply } from "./plugin-worker.ts";
import { LaneViews, Word } from "./pool-lane.ts";
import type { FromWorker, ToWorker } from "./pool-protocol.ts";
import { describe } from "./worker-job-errors.ts";
import { WorkerLane } from "./worker-lane-io.ts";
import { outputBuffers } from "./worker-output.ts";

const port = parentPort;
if (!port) throw new Error("worker-main runs only as a worker thread");

/** What the pool gives a worker at start (see worker-pool.ts): its inbox and its lane. */
interface WorkerStart {
  inbox: MessagePort;
  shared: SharedArrayBuffer;
}
const start = workerData as WorkerStart;
const lane = new LaneViews(start.shared);

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

const laneJobs = new WorkerLane(lane, post);

const replyByMessage =
  (id: number): Reply =>
  (result) =>
    post({ type: "result", id, result }, outputBuffers(result));

let worker: PluginWorker | undefined;

async function initialize(message: ToWorker & { type: "init" }): Promise<void> {
  try {
    let setup: ((kernel: Kernel) => void) | undefined;
    if (message.setup !== undefined) {
      const mod = (await import(message.setup)) as { setup?: unknown };
      if (typeof mod.setup !== "function") throw new Error(`${message.setup} exports no setup()`);
      setup = mod.setup as (kernel: Kernel) => void;
    }
    worker = new PluginWorker(message, setup, { post, lane });
    laneJobs.worker = worker;
    post({ type: "ready" });
  } catch (e) {
    post({ type: "init-failed", message: (e as Error)?.stack ?? String(e) });
  }
}

/** Handles a message from the pool (drained from the inbox whenever the bell rings). */
function onMessage(message: ToWorker): void {
  switch (message.type) {
    case "init":
      return; // only the first one counts (see main below)
    case "forget":
      worker?.forget(message.client);
      return;
    case "buffer":
      if (message.buffer === null) laneJobs.buffers.delete(message.id);
      else laneJobs.buffers.set(message.id, message.buffer);
      return;
    case "pixels":
      laneJobs.posted = { seq: message.seq, data: message.data };
      return;
    case "job":
    case "client": {
      let reply: Reply = replyByMessage(message.id);
      try {
        if (!worker) throw new Error("job before init");
        if (message.type === "job") worker.onJob(message.id, message.job, reply);
        else {
          reply = worker.replyOf(message.id) ?? reply;
          worker.onClient(message.id, message.spec);
        }
      } catch (e) {
        reply({ ok: false, error: describe(e, []), fuelUsed: 0, ms: 0 });
      }
      return;
    }
  }
}

/**
 * Drains the inbox, then runs the lane job if there is a new one. The job's number is read
 * first: the pool posts a job's pixels (and any new shared buffer) before it publishes the
 * number, and a posted message is in the inbox once postMessage returns, so a job seen here
 * finds its messages drained below. Read after the drain, a job published in between ran
 * without its pixels ("did not arrive", seen under load).
 */
function serveOnce(last: number): number {
  const seq = Atomics.load(lane.ctl, Word.Job);
  for (
    let m = receiveMessageOnPort(start.inbox);
    m !== undefined;
    m = receiveMessageOnPort(start.inbox)
  )
    onMessage(m.message as ToWorker);
  if (seq !== last) laneJobs.run(seq);
  return seq;
}

/**
 * The worker's life: the first message is `init` (set up with the event loop, which a setup
 * module's import needs); then the worker sleeps in Atomics.wait until the bell rings, and
 * never turns its event loop again. The runtime cache is swept when a wait times out.
 */
async function main(): Promise<void> {
  let init: ToWorker | undefined;
  while (init === undefined) {
    const seen = Atomics.load(lane.ctl, Word.Bell);
    init = receiveMessageOnPort(start.inbox)?.message as ToWorker | undefined;
    if (init === undefined) Atomics.wait(lane.ctl, Word.Bell, seen);
  }
  if (init.type !== "init") throw new Error(`the first message was '${init.type}', not init`);
  await initialize(init);
  if (!worker) return;
  const sweepMs = Math.max(1000, init.cache.idleMs / 2);
  let nextSweep = performance.now() + sweepMs;
  // Lane jobs count from 1; one may be there already (the pool starts jobs once it is ready).
  let last = 0;
  for (;;) {
    const seen = Atomics.load(lane.ctl, Word.Bell);
    last = serveOnce(last);
    Atomics.wait(lane.ctl, Word.Bell, seen, sweepMs);
    const now = performance.now();
    if (now >= nextSweep) {
      worker.cache.sweep();
      nextSweep = now + sweepMs;
    }
  }
}

void main();
