// A plugin worker: the thread where plugin code runs, so it never runs on the server's event
// loop (issue 10). It owns a Kernel with the library runtime and a RuntimeCache of client and
// playground runtimes, and answers the jobs of pool-protocol.ts one at a time.
//
// Everything here is rebuilt from what the main thread sends: the library's compiled modules at
// `init`, a client's spec when a job names a client/stamp the cache does not hold. A worker may
// be terminated at any moment (the watchdog does it to stop a runaway job) and a new one starts
// from nothing. Runtimes are built with the functions the in-process server uses (the plugin
// library's linkInto, image_alloc's buffers, the plugin runner, compileCheck and the
// playground's link/unlink), so a chain behaves the same in a worker as on the main thread.

import { parentPort } from "node:worker_threads";
import { type CompiledModule, compile, moduleFromWasm } from "../cc/index.ts";
import {
  ExitSignal,
  Kernel,
  PluginFault,
  QuarantineError,
  type Runtime,
  UnlinkedSymbolError,
} from "../kernel/index.ts";
import { compileCheck, linkDiagnostic, PlaygroundRuntimes } from "./api-try.ts";
import type { RawImage } from "./codecs.ts";
import { IMAGE_BUFFER_GROUP, installImageBuffers } from "./image-buffers.ts";
import { IMAGE_INCLUDES, PluginLibrary, transformsOf } from "./library.ts";
import {
  BadPluginOutput,
  detached,
  RuntimeMemoryExhausted,
  runChain,
  TransformRejected,
} from "./plugin-runner.ts";
import type {
  ClientSpec,
  CompileJob,
  CompileOutput,
  FromWorker,
  Job,
  JobError,
  JobResult,
  ToWorker,
  TranscodeJob,
  TryJob,
  TryOutput,
} from "./pool-protocol.ts";
import { RuntimeCache, RuntimeCapacityError } from "./runtime-cache.ts";
import { FUEL_PER_MS } from "./scheduler.ts";

const port = parentPort;
if (!port) throw new Error("worker-main.ts runs only as a worker thread");

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

/** Runtime options of a client's runtime: as ClientStore.makeClient creates them. */
function clientRuntimeOptions(spec: ClientSpec) {
  return {
    memory: spec.settings.memory,
    fuel: spec.settings.fuel,
    allow: ["libc", IMAGE_BUFFER_GROUP],
    quarantine: { faults: 20, windowMs: 10_000, action: "disable" as const },
    stdout: () => {},
    stderr: () => {},
  };
}

/** Runtime options of a playground runtime: as PlaygroundRuntimes.runtimeFor creates them. */
function playgroundRuntimeOptions(spec: ClientSpec) {
  return { ...clientRuntimeOptions(spec), quarantine: false as const };
}

class PluginWorker {
  readonly kernel = new Kernel();
  readonly library = new PluginLibrary();
  readonly libraryRuntime: Runtime;
  readonly cache: RuntimeCache;
  readonly tries: PlaygroundRuntimes;
  /** The job waiting for a client spec (a worker runs one job at a time). */
  private waiting: { id: number; job: TranscodeJob | TryJob } | undefined;

  private readonly maxModuleBytes: number;

  constructor(init: ToWorker & { type: "init" }) {
    this.maxModuleBytes = init.maxModuleBytes;
    installImageBuffers(this.kernel);
    // The main thread compiled and ordered the library; its modules arrive in link order.
    for (const m of init.library) {
      const module = moduleFromWasm(m.wasm);
      const entry = { name: m.name, file: m.file, source: "", module, version: m.version };
      this.library.modules.push({ ...entry, compileMs: 0 });
      for (const t of transformsOf(module))
        this.library.transforms.set(t, this.library.modules.at(-1)!);
    }
    // As the server's library runtime (server.ts start()).
    this.libraryRuntime = this.kernel.createRuntime("library", {
      memory: 512 << 20,
      fuel: 0x7fffffff,
      allow: ["libc", IMAGE_BUFFER_GROUP],
      quarantine: false,
      stdout: () => {},
      stderr: () => {},
    });
    this.library.linkInto(this.libraryRuntime);
    this.cache = new RuntimeCache(init.cache, (rt) => this.kernel.destroyRuntime(rt.name));
    this.tries = new PlaygroundRuntimes(this.kernel, () => this.library);
    setInterval(() => this.cache.sweep(), Math.max(1000, init.cache.idleMs / 2)).unref();
  }

  onJob(id: number, job: Job): void {
    if (job.kind === "compile") {
      this.finish(id, this.compileJob(job));
      return;
    }
    const key = `${job.kind === "try" ? "playground" : "client"}:${job.client?.id}`;
    if (job.client === undefined || this.cache.has(key, job.client.stamp)) {
      this.finish(id, this.runJob(job, undefined));
      return;
    }
    this.waiting = { id, job };
    post({ type: "need-client", id, client: job.client.id, stamp: job.client.stamp });
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
      this.finish(id, { ok: false, error, fuelUsed: 0, ms: 0 });
      return;
    }
    this.finish(id, this.runJob(w.job, spec));
  }

  private finish(id: number, result: JobResult<unknown>): void {
    post({ type: "result", id, result }, outputBuffers(result));
  }

  /** The job's runtime: resident, or built from `spec` (then kept). */
  private runtimeFor(job: TranscodeJob | TryJob, spec: ClientSpec | undefined): Runtime {
    if (job.client === undefined) return this.libraryRuntime;
    const playground = job.kind === "try";
    const key = `${playground ? "playground" : "client"}:${job.client.id}`;
    const resident = this.cache.get(key, spec?.stamp ?? job.client.stamp);
    if (resident) return resident;
    if (spec === undefined) throw new Error(`runtime '${key}' is not resident`);
    return this.cache.build(key, spec.stamp, () =>
      playground ? this.buildPlayground(key, spec) : this.buildClient(key, spec),
    );
  }

  private buildClient(name: string, spec: ClientSpec): Runtime {
    const runtime = this.kernel.createRuntime(name, clientRuntimeOptions(spec));
    try {
      this.library.linkInto(runtime);
      linkInOrder(
        runtime,
        spec.plugins.map((p) => ({ name: p.name, module: moduleFromWasm(p.wasm) })),
      );
    } catch (e) {
      this.kernel.destroyRuntime(name);
      throw e;
    }
    return runtime;
  }

  private buildPlayground(name: string, spec: ClientSpec): Runtime {
    const runtime = this.kernel.createRuntime(name, playgroundRuntimeOptions(spec));
    this.library.linkInto(runtime);
    return runtime;
  }

  private runJob(job: TranscodeJob | TryJob, spec: ClientSpec | undefined): JobResult<unknown> {
    const t0 = performance.now();
    let runtime: Runtime;
    try {
      runtime = this.runtimeFor(job, spec);
    } catch (e) {
      return { ok: false, error: describe(e, job.steps), fuelUsed: 0, ms: performance.now() - t0 };
    }
    const result = job.kind === "try" ? this.tryJob(job, runtime) : this.chain(job, runtime, t0);
    if (job.client !== undefined) {
      this.cache.used(`${job.kind === "try" ? "playground" : "client"}:${job.client.id}`);
    }
    return result;
  }

  /** Runs a chain and measures the fuel its plugins used. */
  private chain(
    job: { steps: string[]; params: TranscodeJob["params"]; image: RawImage },
    runtime: Runtime,
    t0: number,
  ): JobResult<RawImage> {
    const modules = new Set<string>();
    for (const s of job.steps) {
      const m = this.library.transforms.get(s)?.name ?? s;
      if (runtime.plugin(m)) modules.add(m);
    }
    const before = fuelOf(runtime, modules);
    try {
      const image = runChain(runtime, job.steps, job.image, job.params, detached);
      const fuelUsed = fuelOf(runtime, modules) - before;
      return { ok: true, value: image, fuelUsed, ms: performance.now() - t0 };
    } catch (e) {
      let fuelUsed = fuelOf(runtime, modules) - before;
      // A run stopped for fuel burnt its whole budget, whatever the counters saw.
      if (e instanceof PluginFault && e.kind === "fuel-exhausted")
        fuelUsed = Math.max(fuelUsed, runtime.limits.fuel);
      return { ok: false, error: describe(e, job.steps), fuelUsed, ms: performance.now() - t0 };
    }
  }

  private tryJob(job: TryJob, runtime: Runtime): JobResult<TryOutput> {
    const t0 = performance.now();
    const check = compileCheck(job.name, job.source);
    const compileMs = check.compileMs;
    const compileFuel = Math.round(compileMs * FUEL_PER_MS);
    if (!check.ok || !check.module) {
      const rejected = { error: "compile-error" as const, diagnostics: check.diagnostics };
      const value = { rejected, compileMs, linkMs: 0, runMs: 0 };
      return { ok: true, value, fuelUsed: compileFuel, ms: performance.now() - t0 };
    }
    const t1 = performance.now();
    try {
      this.tries.link(runtime, job.name, check.module);
    } catch (e) {
      const message = (e as Error).message;
      const rejected = {
        error: "link-error" as const,
        diagnostics: [linkDiagnostic(job.name, job.source, message)],
      };
      const value = { rejected, compileMs, linkMs: 0, runMs: 0 };
      return { ok: true, value, fuelUsed: compileFuel, ms: performance.now() - t0 };
    }
    const linkMs = performance.now() - t1;
    const t2 = performance.now();
    try {
      const run = this.chain(job, runtime, t2);
      const ms = performance.now() - t0;
      const fuelUsed = run.fuelUsed + compileFuel;
      if (!run.ok) return { ok: false, error: run.error, fuelUsed, ms };
      const value = { image: run.value, compileMs, linkMs, runMs: run.ms };
      return { ok: true, value, fuelUsed, ms };
    } finally {
      this.tries.unlink(runtime, job.name);
    }
  }

  private compileJob(job: CompileJob): JobResult<CompileOutput> {
    const t0 = performance.now();
    let out: CompileOutput;
    if (job.plugin !== undefined) {
      const check = compileCheck(job.plugin, job.source);
      out = {
        ok: check.ok,
        diagnostics: check.diagnostics,
        compileMs: check.compileMs,
        exports: check.module?.exports.map((e) => ({ name: e.name, signature: e.signature })) ?? [],
        imports: check.imports ?? [],
        wasm: check.module?.wasm,
      };
    } else {
      const file = (job.file ?? "plugin.c").slice(0, 64);
      const result = compile(job.source, { file, includes: IMAGE_INCLUDES });
      out = {
        ok: result.ok,
        diagnostics: result.diagnostics,
        compileMs: performance.now() - t0,
        exports: result.ok
          ? result.module.exports.map((e) => ({ name: e.name, signature: e.signature }))
          : [],
        imports: result.ok ? result.module.imports.map((i) => i.name) : [],
        wasm: result.ok ? result.module.wasm : undefined,
      };
    }
    const ms = performance.now() - t0;
    const fuelUsed = Math.round(ms * FUEL_PER_MS);
    if (out.wasm && out.wasm.byteLength > this.maxModuleBytes) {
      const error: JobError = {
        kind: "module-too-large",
        message: `the module is ${out.wasm.byteLength} bytes; the limit is ${this.maxModuleBytes}`,
      };
      return { ok: false, error, fuelUsed, ms };
    }
    if (out.wasm) out.wasm = ownedCopy(out.wasm);
    return { ok: true, value: out, fuelUsed, ms };
  }
}

/** Links modules that may import each other: failures are retried until no more link. */
function linkInOrder(
  runtime: Runtime,
  modules: Array<{ name: string; module: CompiledModule }>,
): void {
  let pending = modules;
  while (pending.length > 0) {
    const failed: typeof modules = [];
    let lastError: unknown;
    for (const m of pending) {
      try {
        runtime.add(m.name, m.module);
      } catch (e) {
        failed.push(m);
        lastError = e;
      }
    }
    if (failed.length === pending.length) throw lastError;
    pending = failed;
  }
}

function fuelOf(runtime: Runtime, modules: Set<string>): number {
  let fuel = 0;
  for (const m of modules) if (runtime.plugin(m)) fuel += runtime.stats(m).fuelUsed;
  return fuel;
}

/** A failure as data; `steps` names the plugin to blame when the error does not. */
function describe(e: unknown, steps: readonly string[]): JobError {
  const only = steps.length === 1 ? steps[0] : undefined;
  if (e instanceof PluginFault) {
    return {
      kind: "plugin-fault",
      message: e.message,
      fault: e.kind,
      runtime: e.runtime,
      plugin: e.plugin,
      function: e.function,
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
    return {
      kind: "runtime-capacity",
      message: e.message,
      retryAfterSeconds: e.retryAfterSeconds,
    };
  }
  if (e instanceof ExitSignal)
    return { kind: "plugin-exit", message: e.message, code: e.code, plugin: only };
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { kind: "internal", message, plugin: only };
}

/** A copy that owns its whole ArrayBuffer, so it can be transferred. */
function ownedCopy(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return bytes.slice();
}

/** The output buffers of a result, given up to the main thread. */
function outputBuffers(result: JobResult<unknown>): ArrayBuffer[] {
  if (!result.ok) return [];
  const v = result.value as { data?: Uint8Array; image?: RawImage; wasm?: Uint8Array };
  const out: ArrayBuffer[] = [];
  for (const bytes of [v.data, v.image?.data, v.wasm]) {
    if (bytes === undefined) continue;
    const buffer = bytes.buffer;
    if (buffer instanceof ArrayBuffer && bytes.byteLength === buffer.byteLength) out.push(buffer);
  }
  return out;
}

let worker: PluginWorker | undefined;

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "init":
      try {
        worker = new PluginWorker(message);
        post({ type: "ready" });
      } catch (e) {
        post({ type: "init-failed", message: (e as Error)?.stack ?? String(e) });
      }
      return;
    case "job":
      if (!worker) throw new Error("job before init");
      try {
        worker.onJob(message.id, message.job);
      } catch (e) {
        const error = describe(e, []);
        post({ type: "result", id: message.id, result: { ok: false, error, fuelUsed: 0, ms: 0 } });
      }
      return;
    case "client":
      try {
        worker?.onClient(message.id, message.spec);
      } catch (e) {
        const error = describe(e, []);
        post({ type: "result", id: message.id, result: { ok: false, error, fuelUsed: 0, ms: 0 } });
      }
      return;
  }
});
