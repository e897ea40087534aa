// A plugin worker's jobs: it owns a Kernel with the library runtime and a RuntimeCache of
// client and playground runtimes, and runs one job at a time — a transcode chain (plugins, or
// the trusted JS transforms), a playground try, or a compile (worker-compile-jobs.ts). A job
// whose client runtime is not resident waits for the client's spec from the main thread.
//
// Runtimes are made with the server's own functions (runtimes.ts, the library's linkInto,
// playground-runtimes.ts, plugin-check.ts, the plugin runner), so a chain behaves the same here
// as the server's API describes. Quarantine is kept by the main thread, which leaves quarantined
// plugins out of the specs it sends: runtimes here never quarantine.

import type { CompiledModule } from "../cc/index.ts";
import { moduleFromWasm } from "../cc/index.ts";
import {
  Kernel,
  type PluginCode,
  type Runtime,
  replayFault,
  wantsAddress,
} from "../kernel/index.ts";
import { installImageBuffers } from "./image-buffers.ts";
import { JS_TRANSFORMS } from "./js-transforms.ts";
import { PluginLibrary } from "./library.ts";
import { LIBRARY_RUNTIME } from "./limits.ts";
import { LogCapture } from "./log-capture.ts";
import { createPlaygroundRuntime, linkTrial, unlinkTrial } from "./playground-runtimes.ts";
import { checkPlugin, linkPlugin, PluginRejected, wasmPluginHeader } from "./plugin-check.ts";
import { detached, runChain } from "./plugin-runner.ts";
import type { LaneViews } from "./pool-lane.ts";
import type {
  ClientSpec,
  CompileJob,
  FromWorker,
  Job,
  JobError,
  JobResult,
  PluginCounts,
  StatsDelta,
  ToWorker,
  TranscodeJob,
  TranscodeOutput,
  TryJob,
  TryOutput,
} from "./pool-protocol.ts";
import type { RawImage } from "./raw-image.ts";
import { RuntimeCache } from "./runtime-cache.ts";
import { clientRuntimeName, createPluginRuntime } from "./runtimes.ts";
import { FUEL_PER_MS } from "./scheduler.ts";
import { type CompileContext, compileJob } from "./worker-compile-jobs.ts";
import { describe } from "./worker-job-errors.ts";
import { transcodeOutput } from "./worker-output.ts";

/** Where a job's result goes: a message (port jobs), or the lane. */
export type Reply = (result: JobResult<unknown>) => void;

/** How a worker talks to the main thread: messages, and its lane (the step running). */
export interface WorkerIO {
  post(message: FromWorker): void;
  lane: LaneViews;
}

/**
 * A fault's replay (with a bounds check on every access) costs at most this many times the
 * chain's own time, plus the margin (building the replica, transit to and from the worker).
 */
const REPLAY_COST = 4;
const REPLAY_MARGIN_MS = 100;

const cacheKey = (job: TranscodeJob | TryJob, id: string) =>
  job.kind === "try" ? `playground:${id}` : clientRuntimeName(id);

export class PluginWorker implements CompileContext {
  readonly kernel = new Kernel();
  readonly library: PluginLibrary;
  readonly libraryRuntime: Runtime;
  readonly cache: RuntimeCache;
  /** The job waiting for a client spec (a worker runs one job at a time). */
  private waiting:
    | {
        id: number;
        job: TranscodeJob | TryJob | CompileJob;
        reply: Reply;
        slab: Uint8Array | undefined;
      }
    | undefined;
  readonly maxModuleBytes: number;
  /**
   * The job running now (or last): its plugins' output is sent tagged with its id, and counted.
   * postMessage needs no event loop to send, so batches leave while the worker sleeps or runs.
   */
  private current: { id: number; batches: number } | undefined;
  /** When the job running now started (a fault replay must fit in what is left of its deadline). */
  private jobStart = 0;
  /** Client and playground runtimes print into this (library plugins print nowhere). */
  private readonly logs = new LogCapture((batch) => {
    if (this.current === undefined) return;
    this.current.batches++;
    this.io.post({ type: "logs", id: this.current.id, batch });
  });

  constructor(
    init: ToWorker & { type: "init" },
    setup: ((kernel: Kernel) => void) | undefined,
    private readonly io: WorkerIO,
  ) {
    this.maxModuleBytes = init.maxModuleBytes;
    installImageBuffers(this.kernel);
    setup?.(this.kernel);
    // The main thread compiled and ordered the library; its modules arrive in link order.
    this.library = PluginLibrary.fromCompiled(
      init.library.map((m) => ({ ...m, module: moduleFromWasm(m.wasm) })),
    );
    this.libraryRuntime = createPluginRuntime(this.kernel, "library", {
      ...LIBRARY_RUNTIME,
      quarantine: false,
    });
    this.library.linkInto(this.libraryRuntime);
    this.cache = new RuntimeCache(init.cache, (rt) => this.kernel.destroyRuntime(rt.name));
  }

  /** Runs a job (a lane job writes its output into the lane when it fits), or asks for a spec. */
  onJob(id: number, job: Job, reply: Reply, slab?: Uint8Array): void {
    this.current = { id, batches: 0 };
    const client = job.client;
    if (client === undefined) {
      reply(
        job.kind === "compile" ? compileJob(this, job, undefined) : this.run(job, undefined, slab),
      );
      return;
    }
    if (job.kind !== "compile" && this.cache.has(cacheKey(job, client.id), client.stamp)) {
      reply(this.run(job, undefined, slab));
      return;
    }
    this.waiting = { id, job, reply, slab };
    this.io.post({ type: "need-client", id, client: client.id, stamp: client.stamp });
  }

  onClient(id: number, spec: ClientSpec | null): void {
    const w = this.waiting;
    if (w === undefined || w.id !== id) return;
    this.waiting = undefined;
    if (spec === null) {
      const error: JobError = {
        kind: "unknown-client",
        message: `no client '${w.job.client?.id}'`,
      };
      w.reply({ ok: false, error, fuelUsed: 0, ms: 0 });
      return;
    }
    w.reply(
      w.job.kind === "compile" ? compileJob(this, w.job, spec) : this.run(w.job, spec, w.slab),
    );
  }

  /** The reply of the job waiting for a spec (to answer it when the spec message fails). */
  replyOf(id: number): Reply | undefined {
    return this.waiting?.id === id ? this.waiting.reply : undefined;
  }

  /** Drops a deleted client's runtimes. */
  forget(client: string): void {
    this.cache.remove(clientRuntimeName(client));
    this.cache.remove(`playground:${client}`);
  }

  /**
   * Log batches posted for job `id` so far. A lane result names it: the main thread learns of
   * a lane job's end through shared memory, which may overtake the job's log messages, so it
   * waits for that many before it finishes the job (worker-pool.ts, laneDone).
   */
  logBatches(id: number): number {
    return this.current?.id === id ? this.current.batches : 0;
  }

  /** The job's runtime: resident, or built from `spec` (then kept). */
  private runtimeFor(job: TranscodeJob | TryJob, spec: ClientSpec | undefined): Runtime {
    if (job.client === undefined) return this.libraryRuntime;
    const key = cacheKey(job, job.client.id);
    const resident = this.cache.get(key, spec?.stamp ?? job.client.stamp);
    if (resident) return resident;
    if (spec === undefined) throw new Error(`runtime '${key}' is not resident`);
    return this.cache.build(key, spec.stamp, () =>
      job.kind === "try"
        ? createPlaygroundRuntime(this.kernel, spec.id, spec.settings, this.library, this.logs)
        : this.buildClient(key, spec),
    );
  }

  /** A client's runtime: the library, then its plugins (one that no longer links is left out). */
  buildClient(name: string, spec: ClientSpec, without?: string): Runtime {
    const runtime = createPluginRuntime(this.kernel, name, {
      ...spec.settings,
      quarantine: false,
      output: this.logs,
    });
    try {
      this.library.linkInto(runtime);
      const modules = spec.plugins
        .filter((p) => p.name !== without)
        .map((p) =>
          p.foreignHeader === undefined
            ? { name: p.name, module: moduleFromWasm(p.wasm) as PluginCode }
            : { name: p.name, module: p.wasm, header: wasmPluginHeader(p.name, p.foreignHeader) },
        );
      linkInOrder(runtime, modules);
    } catch (e) {
      this.kernel.destroyRuntime(name);
      throw e;
    }
    return runtime;
  }

  private run(
    job: TranscodeJob | TryJob,
    spec: ClientSpec | undefined,
    slab: Uint8Array | undefined,
  ): JobResult<unknown> {
    const t0 = performance.now();
    this.jobStart = t0;
    if (job.kind === "transcode" && job.engine === "js") return jsChain(job, t0, slab);
    let runtime: Runtime;
    try {
      runtime = this.runtimeFor(job, spec);
    } catch (e) {
      return { ok: false, error: describe(e, job.steps), fuelUsed: 0, ms: performance.now() - t0 };
    }
    const result =
      job.kind === "try"
        ? this.tryJob(job, runtime)
        : this.chain(job, runtime, t0, (r) => transcodeOutput(r, job.output, slab));
    if (job.client !== undefined) this.cache.used(cacheKey(job, job.client.id));
    return result;
  }

  /** Runs a chain; measures the fuel its plugins used and what it did to their counters. */
  private chain<T>(
    job: { steps: string[]; params: TranscodeJob["params"]; image: RawImage; deadlineMs?: number },
    runtime: Runtime,
    t0: number,
    consume: (r: RawImage) => T,
  ): JobResult<T> {
    const modules = new Set<string>();
    for (const s of job.steps) {
      const m = this.library.transforms.get(s)?.name ?? s;
      if (runtime.plugin(m)) modules.add(m);
    }
    const before = countsOf(runtime, modules);
    let outcome: { ok: true; value: T } | { ok: false; error: JobError };
    // What a client's plugins print goes to its log, tagged with the step that printed it.
    const logging = runtime !== this.libraryRuntime;
    // The step running is in the lane, where the watchdog reads it to blame the right plugin.
    const id = this.current?.id ?? 0;
    const onStep = (step: string, index: number) => {
      this.io.lane.enterStep(id, index);
      if (!logging) return;
      runtime.flush();
      this.logs.step(step);
    };
    this.io.lane.enterStep(id, -1);
    if (logging) this.logs.begin(job.steps[0] ?? "");
    // One fuel budget for the whole chain (the request's), not one per step.
    runtime.beginBudget();
    try {
      const value = runChain(runtime, job.steps, job.image, job.params, consume, onStep);
      outcome = { ok: true, value };
    } catch (e) {
      const fault = this.withAddress(e, job, runtime, t0, [...modules]);
      outcome = { ok: false, error: describe(fault, job.steps) };
    } finally {
      runtime.endBudget();
      if (logging) {
        runtime.flush();
        this.logs.end();
      }
    }
    const stats = deltaOf(runtime, modules, before);
    let fuelUsed = 0;
    for (const c of Object.values(stats.plugins)) fuelUsed += c.fuelUsed;
    // A run stopped for fuel burnt its whole budget, whatever the counters saw.
    if (!outcome.ok && outcome.error.fault === "fuel-exhausted")
      fuelUsed = Math.max(fuelUsed, runtime.limits.fuel);
    return { ...outcome, fuelUsed, ms: performance.now() - t0, stats };
  }

  /**
   * An out-of-bounds fault with the address of its access, when a replay of the chain on a
   * probe replica of the runtime finds it (kernel/fault-replay.ts) and has time to: the replay
   * spends the same fuel, with a check on every access, so it is started only when REPLAY_COST
   * times the chain's time (`t0`: its start) still ends before the job's deadline.
   */
  private withAddress(
    e: unknown,
    job: { steps: string[]; params: TranscodeJob["params"]; image: RawImage; deadlineMs?: number },
    runtime: Runtime,
    t0: number,
    plugins: string[],
  ): unknown {
    if (!wantsAddress(e) || job.deadlineMs === undefined) return e;
    const now = performance.now();
    const left = job.deadlineMs - (now - this.jobStart);
    if ((now - t0) * REPLAY_COST + REPLAY_MARGIN_MS > left) return e;
    return replayFault(
      this.kernel,
      runtime,
      e,
      (replica) => {
        replica.beginBudget();
        try {
          runChain(replica, job.steps, job.image, job.params, () => undefined);
        } finally {
          replica.endBudget();
        }
      },
      plugins,
    );
  }

  private tryJob(job: TryJob, runtime: Runtime): JobResult<TryOutput> {
    const t0 = performance.now();
    let module: CompiledModule;
    let compileMs: number;
    let linkMs: number;
    try {
      const check = checkPlugin(job.name, job.source);
      module = check.module;
      compileMs = check.compileMs;
      linkMs = linkPlugin(job.name, job.source, () => linkTrial(runtime, job.name, module));
    } catch (e) {
      if (!(e instanceof PluginRejected)) throw e;
      const ms = performance.now() - t0;
      const rejected = { error: e.kind, message: e.message, diagnostics: e.diagnostics };
      const value = { rejected, compileMs: ms, linkMs: 0, runMs: 0 };
      return { ok: true, value, fuelUsed: Math.round(ms * FUEL_PER_MS), ms };
    }
    const compileFuel = Math.round(compileMs * FUEL_PER_MS);
    try {
      const run = this.chain(job, runtime, performance.now(), detached);
      const ms = performance.now() - t0;
      const fuelUsed = run.fuelUsed + compileFuel;
      if (!run.ok) return { ok: false, error: run.error, fuelUsed, ms, stats: run.stats };
      const value = { image: run.value, compileMs, linkMs, runMs: run.ms };
      return { ok: true, value, fuelUsed, ms, stats: run.stats };
    } finally {
      unlinkTrial(runtime, job.name);
    }
  }
}

/** Links modules that may import each other; what never links is left out. */
function linkInOrder(
  runtime: Runtime,
  modules: Array<{ name: string; module: PluginCode; header?: string }>,
): void {
  let pending = modules;
  while (pending.length > 0) {
    const failed: typeof modules = [];
    for (const m of pending) {
      try {
        runtime.add(m.name, m.module, m.header === undefined ? {} : { header: m.header });
      } catch {
        failed.push(m);
      }
    }
    if (failed.length === pending.length) return;
    pending = failed;
  }
}

function countsOf(runtime: Runtime, modules: Set<string>): Map<string, PluginCounts> {
  const out = new Map<string, PluginCounts>();
  for (const m of modules) if (runtime.plugin(m)) out.set(m, runtime.stats(m));
  return out;
}

function deltaOf(
  runtime: Runtime,
  modules: Set<string>,
  before: Map<string, PluginCounts>,
): StatsDelta {
  const plugins: StatsDelta["plugins"] = {};
  for (const [m, was] of before) {
    if (!runtime.plugin(m)) continue;
    const now = runtime.stats(m);
    const faults: PluginCounts["faults"] = {};
    for (const [k, n] of Object.entries(now.faults) as [keyof PluginCounts["faults"], number][]) {
      const d = n - (was.faults[k] ?? 0);
      if (d > 0) faults[k] = d;
    }
    plugins[m] = { calls: now.calls - was.calls, fuelUsed: now.fuelUsed - was.fuelUsed, faults };
  }
  void modules;
  return { runtime: runtime.name, memoryBytes: runtime.memory.buffer.byteLength, plugins };
}

/**
 * The trusted JS transforms on a job's image: the same input and output path as a plugin chain
 * (transcodeOutput), without a runtime, fuel or a copy into plugin memory. The scheduler is
 * charged the time it took, as for any job.
 */
function jsChain(
  job: TranscodeJob,
  t0: number,
  slab: Uint8Array | undefined,
): JobResult<TranscodeOutput> {
  let image = job.image;
  for (const step of job.steps) {
    const transform = JS_TRANSFORMS[step];
    if (transform === undefined) {
      const error: JobError = {
        kind: "unknown-plugin",
        message: `no trusted JS implementation of '${step}'`,
      };
      return { ok: false, error, fuelUsed: 0, ms: performance.now() - t0 };
    }
    image = transform(image);
  }
  const value = transcodeOutput(image, job.output, slab);
  const ms = performance.now() - t0;
  return { ok: true, value, fuelUsed: Math.round(ms * FUEL_PER_MS), ms };
}
