// The pool of plugin workers (issue 10): N worker_threads (default: one per core), each running
// worker-main.ts, fed jobs by the main thread and watched by a watchdog, the paper's timer.
//
// What lives where:
// - main thread: this pool, the Scheduler in front of it (scheduler.ts decides whose job runs
//   next; with `executors` = pool size the pool itself never queues for long), the persisted
//   clients, and the `clientSpec` callback that turns a client id into its ClientSpec.
// - workers: a Kernel, the library runtime, and a RuntimeCache of client runtimes, all rebuilt
//   from messages (see pool-protocol.ts for the protocol).
//
// Guarantees:
// - `run` always settles, with a JobResult (never a rejection): a result, a typed plugin error,
//   `deadline-exceeded` (the watchdog terminated the worker), `worker-crashed` (the worker died:
//   a crash, its heap limit), `pool-unavailable` (no worker would start) or `pool-closed`.
// - The watchdog: every job has a wall-clock deadline from the moment it is posted (paused while
//   the main thread looks up a client spec, which is not the job's time). Past it, the worker
//   is terminated (Worker.terminate stops a wasm loop in 4-18 ms) and a new one is started; the
//   job fails with `deadline-exceeded`, naming the chain step that was running (the worker
//   writes its index into the lane before each step), and is charged `deadlineMs *
//   FUEL_PER_MS` so the scheduler bills the tenant for the time it took.
// - A dead worker's job is failed at once and the worker replaced; jobs waiting in the pool go
//   to the other workers or the replacement. Nothing waits on a worker that is gone.
// - Pixels cross without copies: an input image over a whole ArrayBuffer is transferred (the
//   caller's buffer is detached), one over a SharedArrayBuffer is shared, anything else (a
//   slice of a larger buffer) is copied once (into the lane's input buffer for a transcode, else
//   into a buffer of its own that is transferred). Transcodes go through the worker's lane
//   (pool-lane.ts): a shared buffer is posted to a worker once and named by id after that, and
//   the output is copied out of the lane's output buffer once; other jobs' outputs come back
//   in buffers the worker transferred.
// - Jobs of a client go preferably to the worker that ran its last job (its runtime is resident
//   there), else to any idle worker.

import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import type { LibraryModule } from "./library.ts";
import type { LogBatch } from "./log-capture.ts";
import {
  createLaneMemory,
  INITIAL_SLAB_BYTES,
  type LaneRequest,
  type LaneResponse,
  LaneViews,
  MAX_SLAB_BYTES,
  MAX_SLABS,
  type PixelSource,
  Word,
} from "./pool-lane.ts";
import type {
  CacheLimits,
  ClientSpec,
  FromWorker,
  Job,
  JobError,
  JobOutput,
  JobResult,
  LibraryModuleSpec,
  ToWorker,
  TranscodeJob,
  TranscodeOutput,
} from "./pool-protocol.ts";
import type { RawImage } from "./raw-image.ts";
import { defaultCacheLimits } from "./runtime-cache.ts";
import { FUEL_PER_MS } from "./scheduler.ts";

export interface WorkerPoolOptions {
  /** Worker threads (default: os.availableParallelism()). */
  size?: number;
  /** The plugin library, compiled once on the main thread, in link order. */
  library: readonly LibraryModuleSpec[];
  /** The persisted state of a client, or undefined if there is no such client. */
  clientSpec: (id: string) => ClientSpec | undefined | Promise<ClientSpec | undefined>;
  /** Wall-clock limit of a job in a worker (default 10 s; per job: RunOptions.deadlineMs). */
  deadlineMs?: number;
  cache?: Partial<CacheLimits>;
  /** Largest module a compile job may produce (default 16 MiB). */
  maxModuleBytes?: number;
  /** Each worker's JS heap limit (default 512 MiB); past it the worker dies, typed. */
  maxHeapMb?: number;
  /** The worker script (tests substitute one); default worker-main next to this file. */
  workerUrl?: URL;
  /** A module (path or URL) whose `setup(kernel)` each worker calls at start (extra exports). */
  setup?: string;
  log?: (message: string) => void;
  /** Receives what a running job's plugins printed, in batches (before the job's result). */
  onLogs?: (job: Job, batch: LogBatch) => void;
}

export interface RunOptions {
  deadlineMs?: number;
  /** Aborting removes the job if it is still waiting for a worker. */
  signal?: AbortSignal;
}

export interface PoolStats {
  size: number;
  ready: number;
  busy: number;
  queued: number;
  started: number;
  deadlineKills: number;
  crashes: number;
}

/** The library as the pool sends it to workers. */
export function librarySpecs(modules: readonly LibraryModule[]): LibraryModuleSpec[] {
  return modules.map((m) => ({
    name: m.name,
    file: m.file,
    version: m.version,
    wasm: m.module.wasm,
  }));
}

interface Pending {
  id: number;
  job: Job;
  deadlineMs: number;
  resolve: (r: JobResult<unknown>) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Watchdog time already used before a pause for a client spec. */
  usedMs: number;
  startedAt: number;
  timer: NodeJS.Timeout | undefined;
  /** A lane job's output slab, busy while the job runs. */
  slab?: Slab;
  /** Log batches received for this job. */
  logBatches: number;
  /** A lane result read before all of its job's log batches arrived (see laneDone). */
  awaitingLogs?: { batches: number; result: JobResult<unknown> };
}

interface Slab {
  buffer: SharedArrayBuffer;
  busy: boolean;
}

interface Slot {
  worker: Worker;
  /** Messages to the worker go here (and ring the lane's bell). */
  port: MessagePort;
  lane: LaneViews;
  /** Ids of the shared buffers this worker holds. */
  buffers: Set<number>;
  /** Output slabs: a busy one is written by the running job or leased with its body. */
  slabs: Slab[];
  /** Size of the slabs made next (the largest output that needed one, within MAX_SLAB_BYTES). */
  slabBytes: number;
  /** Where a transcode's input is copied when it is neither shared nor transferable. */
  input: SharedArrayBuffer | undefined;
  /** Sequence number of the last lane job. */
  seq: number;
  ready: boolean;
  dead: boolean;
  job: Pending | undefined;
}

const DEFAULT_DEADLINE_MS = 10_000;

/**
 * The worker's entry beside this file: worker-main.ts in the TypeScript checkout, worker-main.js
 * in the built package (dist/httpd/), whichever this module itself was loaded from.
 */
export const WORKER_ENTRY = new URL(
  import.meta.url.endsWith(".ts") ? "./worker-main.ts" : "./worker-main.js",
  import.meta.url,
);

/** A module path or URL as an import()able URL string. */
function moduleUrl(spec: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec)
    ? spec
    : pathToFileURL(resolve(spec)).href;
}
/** Consecutive workers that died before becoming ready, after which waiting jobs are failed. */
const MAX_START_FAILURES = 3;

export class WorkerPool {
  readonly size: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  /** The slot that last ran a job of each client (its runtime is resident there). */
  private readonly affinity = new Map<string, Slot>();
  private nextId = 1;
  private closed = false;
  private startFailures = 0;
  private readonly counters = { started: 0, deadlineKills: 0, crashes: 0 };
  private readonly init: ToWorker;
  private readonly workerUrl: URL;
  /** Ids of the shared buffers posted to workers; a collected one is dropped by the workers. */
  private readonly bufferIds = new WeakMap<SharedArrayBuffer, number>();
  private nextBufferId = 1;
  /** Leased slabs whose body was collected unreleased come back here. */
  private readonly leases = new FinalizationRegistry<Slab>((slab) => {
    slab.busy = false;
  });
  private readonly collected = new FinalizationRegistry<number>((id) => {
    for (const s of this.slots) {
      if (s.dead || !s.buffers.delete(id)) continue;
      this.send(s, { type: "buffer", id, buffer: null });
    }
  });

  constructor(private readonly options: WorkerPoolOptions) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.workerUrl = options.workerUrl ?? WORKER_ENTRY;
    this.init = {
      type: "init",
      library: [...options.library],
      cache: { ...defaultCacheLimits(this.size), ...options.cache },
      maxModuleBytes: options.maxModuleBytes ?? 16 << 20,
      setup: options.setup === undefined ? undefined : moduleUrl(options.setup),
    };
    for (let i = 0; i < this.size; i++) this.spawn();
  }

  get stats(): PoolStats {
    let ready = 0;
    let busy = 0;
    for (const s of this.slots) {
      if (s.ready && !s.dead) ready++;
      if (s.job) busy++;
    }
    return { size: this.size, ready, busy, queued: this.queue.length, ...this.counters };
  }

  /** Runs a job in a worker. Always resolves (see the guarantees above). */
  run<J extends Job>(job: J, options: RunOptions = {}): Promise<JobResult<JobOutput<J>>> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(failure("pool-closed", "the worker pool is closed"));
      if (options.signal?.aborted) return resolve(failure("internal", "aborted before it ran"));
      const deadlineMs = options.deadlineMs ?? this.options.deadlineMs ?? DEFAULT_DEADLINE_MS;
      const p: Pending = {
        id: this.nextId++,
        // A job running plugins learns its deadline: a fault's replay must end before it.
        job: job.kind === "compile" ? job : { ...job, deadlineMs },
        deadlineMs,
        resolve: resolve as (r: JobResult<unknown>) => void,
        signal: options.signal,
        onAbort: undefined,
        usedMs: 0,
        startedAt: 0,
        timer: undefined,
        logBatches: 0,
      };
      if (p.signal) {
        p.onAbort = () => {
          const i = this.queue.indexOf(p);
          if (i < 0) return;
          this.queue.splice(i, 1);
          resolve(failure("internal", "aborted before it ran") as JobResult<JobOutput<J>>);
        };
        p.signal.addEventListener("abort", p.onAbort, { once: true });
      }
      this.queue.push(p);
      this.pump();
    });
  }

  /** Tells every worker to drop a client's runtimes (the client was deleted). */
  forget(client: string): void {
    this.affinity.delete(client);
    for (const s of this.slots) {
      if (!s.dead) this.send(s, { type: "forget", client });
    }
  }

  /** Terminates every worker; waiting and running jobs fail with `pool-closed`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) this.settle(p, failure("pool-closed", "pool closed"));
    const exits: Promise<number>[] = [];
    for (const s of this.slots) {
      s.dead = true;
      if (s.job) this.settle(s.job, failure("pool-closed", "pool closed"));
      s.job = undefined;
      exits.push(s.worker.terminate());
      s.port.close();
      Atomics.add(s.lane.ctl, Word.Done, 1);
      Atomics.notify(s.lane.ctl, Word.Done);
    }
    this.slots.clear();
    await Promise.allSettled(exits);
  }

  private spawn(): void {
    if (this.closed) return;
    const { port1, port2 } = new MessageChannel();
    const shared = createLaneMemory();
    const worker = startWorker(this.workerUrl, this.options.maxHeapMb ?? 512, {
      inbox: port2,
      shared,
    });
    const slot: Slot = {
      worker,
      port: port1,
      lane: new LaneViews(shared),
      buffers: new Set(),
      slabs: [],
      slabBytes: INITIAL_SLAB_BYTES,
      input: undefined,
      seq: 0,
      ready: false,
      dead: false,
      job: undefined,
    };
    this.slots.add(slot);
    this.counters.started++;
    worker.on("message", (m: FromWorker) => this.onMessage(slot, m));
    worker.on("error", (e) => this.retire(slot, "worker-crashed", `worker crashed: ${e.message}`));
    worker.on("messageerror", (e) =>
      this.retire(slot, "worker-crashed", `unreadable message: ${e.message}`),
    );
    worker.on("exit", (code) =>
      this.retire(slot, "worker-crashed", `worker exited with code ${code}`),
    );
    this.send(slot, this.init);
  }

  /** Posts a message to a worker and rings its bell (it drains its inbox when woken). */
  private send(slot: Slot, message: ToWorker, transfer: ArrayBuffer[] = []): void {
    slot.port.postMessage(message, transfer);
    slot.lane.ring();
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (slot.dead) return;
    switch (m.type) {
      case "ready":
        slot.ready = true;
        this.startFailures = 0;
        this.pump();
        return;
      case "init-failed":
        this.options.log?.(`plugin worker failed to start: ${m.message}`);
        this.retire(slot, "worker-crashed", "worker failed to start");
        return;
      case "need-client":
        void this.sendClient(slot, m.id, m.client);
        return;
      case "logs": {
        const p = slot.job;
        if (p === undefined || p.id !== m.id) return;
        p.logBatches++;
        this.options.onLogs?.(p.job, m.batch);
        // A lane result that overtook its log messages waited for this one.
        if (p.awaitingLogs && p.logBatches >= p.awaitingLogs.batches) {
          const { result } = p.awaitingLogs;
          p.awaitingLogs = undefined;
          this.finished(slot, p, result);
        }
        return;
      }
      case "result": {
        const p = slot.job;
        if (p === undefined || p.id !== m.id) return;
        if (p.slab) {
          // A lane job whose output did not fit its slab (or had none): the slabs grow to the
          // output's size (a small one is replaced when next free), up to MAX_SLAB_BYTES.
          p.slab.busy = false;
          const v = m.result.ok ? (m.result.value as TranscodeOutput) : undefined;
          const bytes = v === undefined ? 0 : (v.kind === "pnm" ? v.body : v.image.data).length;
          const need = 8 + bytes;
          if (need > slot.slabBytes && need <= MAX_SLAB_BYTES) slot.slabBytes = roundUp(need);
        }
        this.finished(slot, p, m.result);
        return;
      }
    }
  }

  /** Answers a worker's request for a client spec; the watchdog is paused meanwhile. */
  private async sendClient(slot: Slot, id: number, client: string): Promise<void> {
    const p = slot.job;
    if (p === undefined || p.id !== id) return;
    this.pauseWatchdog(p);
    let spec: ClientSpec | undefined;
    try {
      spec = await this.options.clientSpec(client);
    } catch (e) {
      if (slot.job !== p) return;
      slot.job = undefined;
      this.settle(p, failure("internal", `client '${client}': ${(e as Error).message}`));
      this.pump();
      return;
    }
    if (slot.dead || slot.job !== p) return;
    this.startWatchdog(slot, p);
    this.send(slot, { type: "client", id, spec: spec ?? null });
  }

  /** Starts waiting jobs on idle workers. */
  private pump(): void {
    while (this.queue.length > 0) {
      const idle: Slot[] = [];
      for (const s of this.slots) if (s.ready && !s.dead && s.job === undefined) idle.push(s);
      if (idle.length === 0) return;
      const p = this.queue.shift()!;
      if (p.signal && p.onAbort) p.signal.removeEventListener("abort", p.onAbort);
      const client = clientOf(p.job);
      const preferred = client === undefined ? undefined : this.affinity.get(client);
      const slot = preferred && idle.includes(preferred) ? preferred : idle[0];
      this.start(slot, p);
    }
  }

  private start(slot: Slot, p: Pending): void {
    slot.job = p;
    this.startWatchdog(slot, p);
    try {
      if (p.job.kind === "transcode" && this.startOnLane(slot, p, p.job)) return;
      const { job, transfer } = portableJob(p.job);
      this.send(slot, { type: "job", id: p.id, job }, transfer);
    } catch (e) {
      slot.job = undefined;
      this.settle(p, failure("internal", `job could not be sent: ${(e as Error).message}`));
    }
  }

  /** Starts a transcode on the worker's lane; false if its text does not fit (send it instead). */
  private startOnLane(slot: Slot, p: Pending, job: TranscodeJob): boolean {
    const seq = ++slot.seq;
    const { data, ...geometry } = job.image;
    const { source, post } = this.pixelsFor(slot, seq, data);
    const slab = this.freeSlab(slot);
    const request: LaneRequest = {
      seq,
      id: p.id,
      job: { ...job, image: geometry },
      pixels: source,
      output: slab === undefined ? -1 : this.shareWith(slot, slab.buffer),
    };
    if (!slot.lane.write("request", JSON.stringify(request))) {
      slot.seq--;
      return false;
    }
    if (slab) slab.busy = true;
    p.slab = slab;
    post?.();
    Atomics.store(slot.lane.ctl, Word.Job, seq);
    slot.lane.ring();
    this.awaitLane(slot, p, seq, slab);
    return true;
  }

  /**
   * Waits (without blocking) until the worker marks lane job `seq` done. The word may still show
   * an earlier job (one whose result came by message, marked done just after): wait again.
   */
  private awaitLane(slot: Slot, p: Pending, seq: number, slab: Slab | undefined): void {
    if (slot.dead || slot.job !== p) return;
    const done = Atomics.load(slot.lane.ctl, Word.Done);
    if (done === seq) {
      this.laneDone(slot, p, seq, slab);
      return;
    }
    const wait = waitAsync(slot.lane.ctl, Word.Done, done);
    if (wait.async) void wait.value.then(() => this.awaitLane(slot, p, seq, slab));
    else queueMicrotask(() => this.awaitLane(slot, p, seq, slab));
  }

  /** A slab free for the next output: an idle one, or a new one while there are few. */
  private freeSlab(slot: Slot): Slab | undefined {
    for (const slab of [...slot.slabs]) {
      if (slab.busy) continue;
      if (slab.buffer.byteLength >= slot.slabBytes) return slab;
      this.dropSlab(slot, slab); // smaller than the outputs seen: replaced by a new one
    }
    if (slot.slabs.length >= MAX_SLABS) return undefined;
    const slab = { buffer: new SharedArrayBuffer(slot.slabBytes), busy: false };
    slot.slabs.push(slab);
    return slab;
  }

  /** The id under which a worker knows a shared buffer (posted to it the first time). */
  private shareWith(slot: Slot, shared: SharedArrayBuffer): number {
    let id = this.bufferIds.get(shared);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.bufferIds.set(shared, id);
      this.collected.register(shared, id);
    }
    if (!slot.buffers.has(id)) {
      slot.buffers.add(id);
      this.send(slot, { type: "buffer", id, buffer: shared });
    }
    return id;
  }

  /**
   * Where a lane job's pixels are: a shared buffer (posted to this worker the first time), the
   * caller's own ArrayBuffer (transferred with the job: `post` sends it), or else a copy in
   * the lane's input buffer.
   */
  private pixelsFor(
    slot: Slot,
    seq: number,
    data: Uint8Array,
  ): { source: PixelSource; post?: () => void } {
    const { buffer, byteOffset, byteLength } = data;
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) {
      return {
        source: { posted: true, offset: 0, length: byteLength },
        post: () => this.send(slot, { type: "pixels", seq, data }, [buffer]),
      };
    }
    if (!(buffer instanceof ArrayBuffer)) {
      const id = this.shareWith(slot, buffer as SharedArrayBuffer);
      return { source: { buffer: id, offset: byteOffset, length: byteLength } };
    }
    if (slot.input === undefined || slot.input.byteLength < byteLength)
      slot.input = new SharedArrayBuffer(roundUp(byteLength));
    new Uint8Array(slot.input, 0, byteLength).set(data);
    const id = this.shareWith(slot, slot.input);
    return { source: { buffer: id, offset: 0, length: byteLength } };
  }

  /**
   * A lane job finished: its result read from the lane, a PNM body leased as a view of its slab
   * (released by the caller, or when the view is collected), raw pixels copied out.
   */
  private laneDone(slot: Slot, p: Pending, seq: number, slab: Slab | undefined): void {
    let response: LaneResponse;
    try {
      response = JSON.parse(slot.lane.read("result")) as LaneResponse;
      if (response.seq !== seq) throw new Error(`job ${response.seq}, expected ${seq}`);
    } catch (e) {
      this.retire(slot, "worker-crashed", `unreadable lane result: ${(e as Error).message}`);
      return;
    }
    if (response.posted) return; // the result comes by message (see onMessage)
    if (slab) slab.busy = false;
    const result = response.result as unknown as JobResult<TranscodeOutput>;
    if (result.ok && slab) {
      const v = result.value;
      const view = Buffer.from(slab.buffer, response.outputOffset, response.outputBytes);
      if (v.kind === "pnm") {
        v.body = view;
        v.release = this.lease(slab, view);
      } else {
        v.image.data = new Uint8Array(view.length);
        v.image.data.set(view); // a copy (Buffer#slice would be a view)
      }
    }
    if (p.logBatches < response.logs) {
      // The lane's word can overtake the job's log messages (a different channel): finish when
      // the last one arrives. The job itself is over, so its watchdog stops.
      this.pauseWatchdog(p);
      p.awaitingLogs = { batches: response.logs, result };
      return;
    }
    this.finished(slot, p, result);
  }

  /** Keeps a slab busy until `release()` or until `view` is garbage collected. */
  private lease(slab: Slab, view: Uint8Array): () => void {
    slab.busy = true;
    const token = {};
    const release = () => {
      if (!slab.busy) return;
      this.leases.unregister(token);
      slab.busy = false;
    };
    this.leases.register(view, slab, token);
    return release;
  }

  private dropSlab(slot: Slot, slab: Slab): void {
    slot.slabs.splice(slot.slabs.indexOf(slab), 1);
    const id = this.bufferIds.get(slab.buffer);
    if (id !== undefined && slot.buffers.delete(id) && !slot.dead)
      this.send(slot, { type: "buffer", id, buffer: null });
  }

  private finished(slot: Slot, p: Pending, result: JobResult<unknown>): void {
    slot.job = undefined;
    const client = clientOf(p.job);
    if (client !== undefined) this.affinity.set(client, slot);
    this.settle(p, result);
    this.pump();
  }

  private startWatchdog(slot: Slot, p: Pending): void {
    p.startedAt = performance.now();
    const left = Math.max(0, p.deadlineMs - p.usedMs);
    p.timer = setTimeout(() => this.deadline(slot, p), left);
  }

  private pauseWatchdog(p: Pending): void {
    clearTimeout(p.timer);
    p.timer = undefined;
    p.usedMs += performance.now() - p.startedAt;
  }

  /** The watchdog fired: the worker is terminated and replaced, the job fails typed. */
  private deadline(slot: Slot, p: Pending): void {
    if (slot.job !== p) return;
    this.counters.deadlineKills++;
    const steps = "steps" in p.job ? p.job.steps : [];
    // The step the worker said it was running (pool-lane.ts); before the chain started, a
    // try's trial (its compile and link) or a chain's only step.
    const running = slot.lane.runningStep(p.id);
    const blamed =
      running !== undefined && running < steps.length
        ? steps[running]
        : p.job.kind === "try"
          ? p.job.name
          : steps.length === 1
            ? steps[0]
            : undefined;
    const error: JobError = {
      kind: "deadline-exceeded",
      message: `the job ran past its deadline of ${p.deadlineMs} ms and its worker was stopped`,
      plugin: blamed,
      runtime: p.job.kind === "compile" ? undefined : runtimeName(p.job),
    };
    slot.job = undefined;
    this.settle(p, {
      ok: false,
      error,
      fuelUsed: Math.round(p.deadlineMs * FUEL_PER_MS),
      ms: p.deadlineMs,
    });
    this.retire(slot, "worker-crashed", "terminated by the watchdog");
  }

  /** Takes a worker out of service (idempotent): its job fails, a replacement starts. */
  private retire(slot: Slot, kind: "worker-crashed", message: string): void {
    if (slot.dead) return;
    slot.dead = true;
    this.slots.delete(slot);
    for (const [client, s] of this.affinity) if (s === slot) this.affinity.delete(client);
    const wasReady = slot.ready;
    if (slot.job) {
      this.counters.crashes++;
      const p = slot.job;
      slot.job = undefined;
      this.settle(p, failure(kind, message));
    }
    void slot.worker.terminate();
    slot.port.close();
    // A lane job's waitAsync would wait forever on a dead worker's memory: wake it (it finds
    // the slot dead and returns).
    Atomics.add(slot.lane.ctl, Word.Done, 1);
    Atomics.notify(slot.lane.ctl, Word.Done);
    if (this.closed) return;
    if (!wasReady) this.startFailures++;
    if (this.startFailures >= MAX_START_FAILURES && this.readyCount() === 0) {
      // Workers do not start (a broken install?): fail what waits instead of hanging, and keep
      // trying in the background, slowly.
      for (const p of this.queue.splice(0)) {
        const error: JobError = {
          kind: "pool-unavailable",
          message: `no plugin worker could be started (${message})`,
          retryAfterSeconds: 5,
        };
        this.settle(p, { ok: false, error, fuelUsed: 0, ms: 0 });
      }
      setTimeout(() => this.spawn(), 5000).unref();
      return;
    }
    this.spawn();
  }

  private readyCount(): number {
    let n = 0;
    for (const s of this.slots) if (s.ready && !s.dead) n++;
    return n;
  }

  private settle(p: Pending, result: JobResult<unknown>): void {
    clearTimeout(p.timer);
    p.timer = undefined;
    p.resolve(result);
  }
}

function failure(kind: JobError["kind"], message: string): JobResult<never> {
  return { ok: false, error: { kind, message }, fuelUsed: 0, ms: 0 };
}

function clientOf(job: Job): string | undefined {
  return job.kind === "compile" ? undefined : job.client?.id;
}

function runtimeName(job: Exclude<Job, { kind: "compile" }>): string {
  if (job.client === undefined) return "library";
  return `${job.kind === "try" ? "playground" : "client"}:${job.client.id}`;
}

/** The job as it is posted, and the buffers to transfer with it (see the header). */
function portableJob<J extends Job>(job: J): { job: J; transfer: ArrayBuffer[] } {
  if (job.kind === "compile") return { job, transfer: [] };
  const image = (job as { image: RawImage }).image;
  const { buffer, byteOffset, byteLength } = image.data;
  if (!(buffer instanceof ArrayBuffer)) return { job, transfer: [] }; // shared
  if (byteOffset === 0 && byteLength === buffer.byteLength) return { job, transfer: [buffer] };
  // A copy (Buffer#slice would be a view of the same memory, and transferring it would detach
  // the caller's buffer).
  const own = new Uint8Array(image.data);
  return { job: { ...job, image: { ...image, data: own } }, transfer: [own.buffer] };
}

/**
 * Starts a worker on `url`. A TypeScript entry needs tsx's loader, which a worker does not
 * inherit from its parent (neither `--import tsx` nor `register()` carries over in Node 20):
 * the worker then starts from a two-line bootstrap that registers it first.
 */
function startWorker(
  url: URL,
  maxHeapMb: number,
  workerData: { inbox: MessagePort; shared: SharedArrayBuffer },
): Worker {
  const options = {
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
    workerData,
    transferList: [workerData.inbox],
  };
  if (!url.pathname.endsWith(".ts")) return new Worker(url, options);
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** Buffer sizes: the next power of two (buffers grow rarely, and never shrink). */
function roundUp(bytes: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(bytes, 4096)));
}

/** Atomics.waitAsync (ES2024; in Node since 16), typed here for the ES2023 lib. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<string> };
  }
).waitAsync;
