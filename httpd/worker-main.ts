// A plugin worker: the thread where plugin code runs, so it never runs on the server's event
// loop (issue 10). It owns a Kernel with the library runtime and a RuntimeCache of client and
// playground runtimes, and answers the jobs of pool-protocol.ts one at a time.
//
// Everything here is rebuilt from what the main thread sends: the library's compiled modules at
// `init`, a client's spec when a job names a client/stamp the cache does not hold. A worker may
// be terminated at any moment (the watchdog does it to stop a runaway job) and a new one starts
// from nothing. Runtimes are made with the server's own functions (runtimes.ts, the library's
// linkInto, playground-runtimes.ts, plugin-check.ts, the plugin runner), so a chain behaves the
// same here as the server's API describes. Quarantine is kept by the main thread, which leaves
// quarantined plugins out of the specs it sends: runtimes here never quarantine.
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
import { type CompiledModule, compile, moduleFromWasm } from "../cc/index.ts";
import {
  ExitSignal,
  Kernel,
  type PluginCode,
  PluginFault,
  QuarantineError,
  type Runtime,
  replayFault,
  UnlinkedSymbolError,
  wantsAddress,
} from "../kernel/index.ts";
import { decodeModule } from "../wasm/index.ts";
import { installImageBuffers } from "./image-buffers.ts";
import { JS_TRANSFORMS } from "./js-transforms.ts";
import { IMAGE_INCLUDES, PluginLibrary } from "./library.ts";
import { LIBRARY_RUNTIME } from "./limits.ts";
import { LogCapture } from "./log-capture.ts";
import { createPlaygroundRuntime, linkTrial, unlinkTrial } from "./playground-runtimes.ts";
import {
  checkPlugin,
  checkWasmPlugin,
  linkPlugin,
  PluginRejected,
  wasmPluginHeader,
} from "./plugin-check.ts";
import {
  BadPluginOutput,
  detached,
  RuntimeMemoryExhausted,
  runChain,
  TransformRejected,
} from "./plugin-runner.ts";
import { pnmBytes, writePnm } from "./pnm.ts";
import { type LaneRequest, type LaneResponse, LaneViews, Word } from "./pool-lane.ts";
import type {
  ClientSpec,
  CompileJob,
  CompileOutput,
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
import { RuntimeCache, RuntimeCapacityError } from "./runtime-cache.ts";
import { clientRuntimeName, createPluginRuntime } from "./runtimes.ts";
import { FUEL_PER_MS } from "./scheduler.ts";
import { watListing } from "./wat-listing.ts";

const port = parentPort;
if (!port) throw new Error("worker-main runs only as a worker thread");

/** What the pool gives a worker at start (see worker-pool.ts): its inbox and its lane. */
interface WorkerStart {
  inbox: MessagePort;
  shared: SharedArrayBuffer;
}
const start = workerData as WorkerStart;
const lane = new LaneViews(start.shared);
/** The output slab of the lane job running, if it has one. */
let laneOutput: Uint8Array | undefined;

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

/** Where a job's result goes: a message (port jobs), or the lane. */
type Reply = (result: JobResult<unknown>) => void;

const replyByMessage =
  (id: number): Reply =>
  (result) =>
    post({ type: "result", id, result }, outputBuffers(result));

/**
 * A fault's replay (with a bounds check on every access) costs at most this many times the
 * chain's own time, plus the margin (building the replica, transit to and from the worker).
 */
const REPLAY_COST = 4;
const REPLAY_MARGIN_MS = 100;

const cacheKey = (job: TranscodeJob | TryJob, id: string) =>
  job.kind === "try" ? `playground:${id}` : clientRuntimeName(id);

class PluginWorker {
  readonly kernel = new Kernel();
  readonly library: PluginLibrary;
  readonly libraryRuntime: Runtime;
  readonly cache: RuntimeCache;
  /** The job waiting for a client spec (a worker runs one job at a time). */
  private waiting:
    | { id: number; job: TranscodeJob | TryJob | CompileJob; reply: Reply; lane: boolean }
    | undefined;
  private readonly maxModuleBytes: number;
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
    post({ type: "logs", id: this.current.id, batch });
  });

  constructor(init: ToWorker & { type: "init" }, setup: ((kernel: Kernel) => void) | undefined) {
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
  onJob(id: number, job: Job, reply: Reply, lane = false): void {
    this.current = { id, batches: 0 };
    const client = job.client;
    if (client === undefined) {
      reply(
        job.kind === "compile" ? this.compileJob(job, undefined) : this.run(job, undefined, lane),
      );
      return;
    }
    if (job.kind !== "compile" && this.cache.has(cacheKey(job, client.id), client.stamp)) {
      reply(this.run(job, undefined, lane));
      return;
    }
    this.waiting = { id, job, reply, lane };
    post({ type: "need-client", id, client: client.id, stamp: client.stamp });
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
      w.job.kind === "compile" ? this.compileJob(w.job, spec) : this.run(w.job, spec, w.lane),
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
  private buildClient(name: string, spec: ClientSpec, without?: string): Runtime {
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

  private run(job: TranscodeJob | TryJob, spec?: ClientSpec, lane = false): JobResult<unknown> {
    const t0 = performance.now();
    this.jobStart = t0;
    if (job.kind === "transcode" && job.engine === "js") return jsChain(job, t0, lane);
    let runtime: Runtime;
    try {
      runtime = this.runtimeFor(job, spec);
    } catch (e) {
      return { ok: false, error: describe(e, job.steps), fuelUsed: 0, ms: performance.now() - t0 };
    }
    const result =
      job.kind === "try"
        ? this.tryJob(job, runtime)
        : this.chain(job, runtime, t0, (r) => transcodeOutput(r, job.output, lane));
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
      lane.enterStep(id, index);
      if (!logging) return;
      runtime.flush();
      this.logs.step(step);
    };
    lane.enterStep(id, -1);
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

  /** A WebAssembly upload: its entry point checked, then (with a spec) its link. */
  private wasmJob(
    job: CompileJob,
    name: string,
    wasm: Uint8Array,
    spec: ClientSpec | undefined,
  ): JobResult<CompileOutput> {
    const t0 = performance.now();
    const done = (out: CompileOutput): JobResult<CompileOutput> => {
      const ms = performance.now() - t0;
      return { ok: true, value: out, fuelUsed: Math.round(ms * FUEL_PER_MS), ms };
    };
    const header = job.source === "" ? undefined : job.source;
    try {
      checkWasmPlugin(name, { wasm, header });
      let names = { exports: [] as string[], imports: [] as string[] };
      try {
        const d = decodeModule(wasm);
        names = { exports: d.exports.map((e) => e.name), imports: d.imports.map((i) => i.name) };
      } catch {
        // Malformed bytes: the link below reports them.
      }
      const out: CompileOutput = {
        ok: true,
        diagnostics: [],
        compileMs: 0,
        exports: names.exports.map((n) => ({ name: n, signature: "" })),
        imports: names.imports,
      };
      if (spec) {
        const scratch = `upload:${spec.id}`;
        const runtime = this.buildClient(scratch, spec, name);
        try {
          out.linkMs = linkPlugin(name, job.source, () =>
            runtime.add(name, wasm, { header: wasmPluginHeader(name, header) }),
          );
        } finally {
          this.kernel.destroyRuntime(scratch);
        }
      }
      out.wasm = new Uint8Array(wasm);
      return done(out);
    } catch (e) {
      if (!(e instanceof PluginRejected)) {
        const ms = performance.now() - t0;
        return { ok: false, error: describe(e, []), fuelUsed: Math.round(ms * FUEL_PER_MS), ms };
      }
      const out: CompileOutput = {
        ok: false,
        rejected: e.kind,
        message: e.message,
        diagnostics: e.diagnostics,
        compileMs: 0,
        exports: [],
        imports: [],
      };
      return done(out);
    }
  }

  private compileJob(job: CompileJob, spec: ClientSpec | undefined): JobResult<CompileOutput> {
    const t0 = performance.now();
    let out: CompileOutput;
    let module: CompiledModule | undefined;
    if (job.wasm !== undefined && job.plugin !== undefined)
      return this.wasmJob(job, job.plugin, job.wasm, spec);
    if (job.plugin !== undefined) {
      try {
        const check = checkPlugin(job.plugin, job.source);
        module = check.module;
        out = {
          ok: true,
          diagnostics: check.diagnostics,
          compileMs: check.compileMs,
          ...shape(module),
        };
      } catch (e) {
        if (!(e instanceof PluginRejected)) throw e;
        const compileMs = performance.now() - t0;
        out = {
          ok: false,
          rejected: e.kind,
          message: e.message,
          diagnostics: e.diagnostics,
          compileMs,
          exports: [],
          imports: [],
        };
      }
    } else {
      const file = (job.file ?? "plugin.c").slice(0, 64);
      const result = compile(job.source, { file, includes: IMAGE_INCLUDES });
      module = result.ok ? result.module : undefined;
      out = {
        ok: result.ok,
        diagnostics: result.diagnostics,
        compileMs: performance.now() - t0,
        ...(module ? shape(module) : { exports: [], imports: [] }),
      };
    }
    const fuelOf = () => Math.round((performance.now() - t0) * FUEL_PER_MS);
    if (module && module.wasm.byteLength > this.maxModuleBytes) {
      const error: JobError = {
        kind: "module-too-large",
        message: `the module is ${module.wasm.byteLength} bytes; the limit is ${this.maxModuleBytes}`,
      };
      return { ok: false, error, fuelUsed: fuelOf(), ms: performance.now() - t0 };
    }
    if (module && spec && job.plugin !== undefined && out.ok) {
      // The upload's link check, in a scratch copy of the client's runtime.
      const name = job.plugin;
      const scratch = `upload:${spec.id}`;
      try {
        const runtime = this.buildClient(scratch, spec, name);
        try {
          out.linkMs = linkPlugin(name, job.source, () => runtime.add(name, module));
        } finally {
          this.kernel.destroyRuntime(scratch);
        }
      } catch (e) {
        if (!(e instanceof PluginRejected)) {
          return {
            ok: false,
            error: describe(e, []),
            fuelUsed: fuelOf(),
            ms: performance.now() - t0,
          };
        }
        out = {
          ...out,
          ok: false,
          rejected: e.kind,
          message: e.message,
          diagnostics: e.diagnostics,
        };
      }
    }
    if (module && job.wat) {
      const file =
        job.plugin !== undefined ? `${job.plugin}.c` : (job.file ?? "plugin.c").slice(0, 64);
      Object.assign(out, watListing(module.wasm, job.source, file));
    }
    if (module && out.ok) out.wasm = ownedCopy(module.wasm);
    return { ok: true, value: out, fuelUsed: fuelOf(), ms: performance.now() - t0 };
  }
}

function shape(module: {
  exports: { name: string; signature: string }[];
  imports: { name: string }[];
}) {
  return {
    exports: module.exports.map((e) => ({ name: e.name, signature: e.signature })),
    imports: module.imports.map((i) => i.name),
  };
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

/** A failure as data; `steps` names the plugin to blame when the error does not. */
function describe(e: unknown, steps: readonly string[]): JobError {
  const only = steps.length === 1 ? steps[0] : undefined;
  if (e instanceof PluginFault) {
    return {
      kind: "plugin-fault",
      message: e.publicMessage,
      fault: e.kind,
      runtime: e.runtime,
      plugin: e.plugin,
      ...faultPlace(e),
    };
  }
  if (e instanceof QuarantineError)
    return { kind: "quarantined", message: e.message, plugin: e.plugin, runtime: e.runtime };
  if (e instanceof UnlinkedSymbolError)
    return { kind: "unknown-plugin", message: `no plugin provides '${e.symbol}'` };
  if (e instanceof TransformRejected)
    return { kind: "transform-rejected", message: e.message, plugin: e.plugin, code: e.code };
  if (e instanceof BadPluginOutput)
    return { kind: "bad-plugin-output", message: e.message, plugin: e.plugin };
  if (e instanceof RuntimeMemoryExhausted) return { kind: "runtime-memory", message: e.message };
  if (e instanceof RuntimeCapacityError) {
    return { kind: "runtime-capacity", message: e.message, retryAfterSeconds: e.retryAfterSeconds };
  }
  if (e instanceof ExitSignal)
    return { kind: "plugin-exit", message: e.message, code: e.code, plugin: only };
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { kind: "internal", message, plugin: only };
}

/** A fault's place in the C source, as plain data. */
function faultPlace(e: PluginFault) {
  const place: Pick<JobError, "function" | "file" | "line" | "col" | "backtrace" | "access"> = {
    function: e.function,
    backtrace: e.backtrace.map((f) => ({ ...f })),
  };
  if (e.file !== undefined) {
    place.file = e.file;
    place.line = e.line;
    place.col = e.col;
  }
  if (e.access) place.access = { ...e.access };
  return place;
}

/**
 * The trusted JS transforms on a job's image: the same input and output path as a plugin chain
 * (transcodeOutput), without a runtime, fuel or a copy into plugin memory. The scheduler is
 * charged the time it took, as for any job.
 */
function jsChain(job: TranscodeJob, t0: number, lane: boolean): JobResult<TranscodeOutput> {
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
  const value = transcodeOutput(image, job.output, lane);
  const ms = performance.now() - t0;
  return { ok: true, value, fuelUsed: Math.round(ms * FUEL_PER_MS), ms };
}

/** A copy that owns its whole ArrayBuffer, so it can be transferred. */
function ownedCopy(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return new Uint8Array(bytes); // a copy, even of a Buffer (whose slice() is a view)
}

/** The output buffers of a result, given up to the main thread. */
function outputBuffers(result: JobResult<unknown>): ArrayBuffer[] {
  if (!result.ok) return [];
  const v = result.value as { body?: Uint8Array; image?: RawImage; wasm?: Uint8Array };
  const out: ArrayBuffer[] = [];
  for (const bytes of [v.body, v.image?.data, v.wasm]) {
    if (bytes === undefined) continue;
    const buffer = bytes.buffer;
    if (buffer instanceof ArrayBuffer && bytes.byteLength === buffer.byteLength) out.push(buffer);
  }
  return out;
}

let worker: PluginWorker | undefined;

async function initialize(message: ToWorker & { type: "init" }): Promise<void> {
  try {
    let setup: ((kernel: Kernel) => void) | undefined;
    if (message.setup !== undefined) {
      const mod = (await import(message.setup)) as { setup?: unknown };
      if (typeof mod.setup !== "function") throw new Error(`${message.setup} exports no setup()`);
      setup = mod.setup as (kernel: Kernel) => void;
    }
    worker = new PluginWorker(message, setup);
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
      if (message.buffer === null) buffers.delete(message.id);
      else buffers.set(message.id, message.buffer);
      return;
    case "pixels":
      posted = { seq: message.seq, data: message.data };
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

/** Shared pixel buffers the pool gave this worker, by id. */
const buffers = new Map<number, SharedArrayBuffer>();
/** Pixels posted (transferred) for a lane job. */
let posted: { seq: number; data: Uint8Array } | undefined;

/** Runs the lane job `seq`: its input named in the request, its result into the lane. */
function runLaneJob(seq: number): void {
  let request: LaneRequest;
  try {
    request = JSON.parse(lane.read("request")) as LaneRequest;
  } catch (e) {
    laneReply(seq, -1)({ ok: false, error: describe(e, []), fuelUsed: 0, ms: 0 });
    return;
  }
  const reply = laneReply(seq, request.id);
  try {
    if (!worker) throw new Error("job before init");
    const src = request.pixels;
    let data: Uint8Array;
    if ("posted" in src) {
      if (posted?.seq !== seq) throw new Error(`the pixels of lane job ${seq} did not arrive`);
      data = posted.data.subarray(src.offset, src.offset + src.length);
      posted = undefined;
    } else {
      const buffer = buffers.get(src.buffer);
      if (buffer === undefined) throw new Error(`no shared buffer ${src.buffer}`);
      data = new Uint8Array(buffer, src.offset, src.length);
    }
    const slab = request.output < 0 ? undefined : buffers.get(request.output);
    laneOutput = slab && new Uint8Array(slab);
    const job = request.job as unknown as TranscodeJob;
    worker.onJob(request.id, { ...job, image: { ...job.image, data } }, reply, true);
  } catch (e) {
    reply({ ok: false, error: describe(e, []), fuelUsed: 0, ms: 0 });
  }
}

/**
 * The reply of lane job `seq`: the result into the lane, its output already in the lane's
 * output buffer. A result that does not fit (output or text) goes by message, and the lane
 * tells the main thread how much room the output needs.
 */
function laneReply(seq: number, id: number): Reply {
  return (result) => {
    const value = result.ok ? (result.value as TranscodeOutput) : undefined;
    const out = value?.kind === "pnm" ? value.body : value?.image.data;
    let response: LaneResponse | undefined;
    const inSlab = out !== undefined && out.buffer === laneOutput?.buffer;
    if (out === undefined || inSlab) {
      const bare =
        value === undefined
          ? result
          : {
              ...result,
              value:
                value.kind === "pnm"
                  ? { ...value, body: undefined }
                  : { ...value, image: { ...value.image, data: undefined } },
            };
      response = {
        seq,
        result: bare as LaneResponse["result"],
        outputOffset: out?.byteOffset ?? 0,
        outputBytes: out?.length ?? 0,
        logs: worker?.logBatches(id) ?? 0,
      };
      if (lane.write("result", JSON.stringify(response))) return done(seq);
    }
    // By message: an output in the slab is copied (the slab is not this result's to keep).
    let sent = result;
    if (value !== undefined && out !== undefined && inSlab) {
      sent = {
        ...result,
        value:
          value.kind === "pnm"
            ? { ...value, body: out.slice() }
            : { ...value, image: { ...value.image, data: out.slice() } },
      } as JobResult<unknown>;
    }
    post({ type: "result", id, result: sent }, outputBuffers(sent));
    // The result message follows the job's log messages on the same port: no count needed.
    const byMessage: LaneResponse = {
      seq,
      result: {},
      outputOffset: 0,
      outputBytes: 0,
      logs: 0,
      posted: { need: 8 + (out?.length ?? 0) },
    };
    lane.write("result", JSON.stringify(byMessage));
    done(seq);
  };
}

function done(seq: number): void {
  Atomics.store(lane.ctl, Word.Done, seq);
  Atomics.notify(lane.ctl, Word.Done);
}

/** A chain's result as the job asked for it; for a lane job, in the lane's output if it fits. */
function transcodeOutput(
  r: RawImage,
  output: TranscodeJob["output"],
  inLane: boolean,
): TranscodeOutput {
  const header = { width: r.width, height: r.height, channels: r.channels };
  if (output === "pnm") {
    const size = pnmBytes(r);
    // Copies into shared memory are word by word only when source and target are aligned
    // alike (else byte by byte, ~8x slower): the pixels land at the plugin's alignment.
    const pad = (((r.data.byteOffset - (size - r.width * r.channels * r.height)) % 8) + 8) % 8;
    const target =
      inLane && laneOutput !== undefined && pad + size <= laneOutput.length
        ? laneOutput.subarray(pad)
        : new Uint8Array(size);
    const n = writePnm(r, target);
    return { kind: "pnm", body: target.subarray(0, n), ...header };
  }
  const row = r.width * r.channels;
  if (!inLane || laneOutput === undefined || row * r.height > laneOutput.length)
    return { kind: "raw", image: detached(r) };
  const data = laneOutput.subarray(0, row * r.height);
  for (let y = 0; y < r.height; y++)
    data.set(r.data.subarray(y * r.stride, y * r.stride + row), y * row);
  return { kind: "raw", image: { ...header, stride: row, data } };
}

/** Drains the inbox, then runs the lane job if there is a new one. */
function serveOnce(last: number): number {
  for (
    let m = receiveMessageOnPort(start.inbox);
    m !== undefined;
    m = receiveMessageOnPort(start.inbox)
  )
    onMessage(m.message as ToWorker);
  const seq = Atomics.load(lane.ctl, Word.Job);
  if (seq !== last) runLaneJob(seq);
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
