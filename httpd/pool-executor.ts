// The server's plugin executor (issue 10): every plugin job (a chain, a try, a compile check,
// an upload's compile + link check) goes through a fair Scheduler (scheduler.ts: per-client
// queues, deficit round robin by fuel used, concurrency cap, CPU rate) into a WorkerPool
// (worker-pool.ts: worker threads, watchdog). Nothing of a plugin runs on the main thread.
//
// The main thread keeps what must outlive a worker: client records (their specs are built here
// on a worker's request, by stamp), the per-plugin counters (plugin-counters.ts) and the
// quarantine record (quarantine-book.ts): every job result that blames a client's plugin with a
// fault or a deadline is a strike; a quarantined plugin is refused here, before any job, and
// left out of the spec its client's runtime is rebuilt from.

import type { BuiltPlugin, Client, ClientRegistry, PluginCode } from "./clients.ts";
import {
  type CheckJob,
  type CheckReport,
  ClientGone,
  type PluginExecutor,
  type TranscodeJob,
  type TranscodeOutput,
  type TryJob,
  type TryOutcome,
} from "./executor.ts";
import type { PluginLibrary } from "./library.ts";
import type { ServerLimits } from "./limits.ts";
import type { LogBook } from "./log-book.ts";
import { PluginRejected } from "./plugin-check.ts";
import type { PluginCounters } from "./plugin-counters.ts";
import {
  type CacheLimits,
  type ClientSpec,
  type Job,
  type JobError,
  JobFailed,
  type JobOutput,
  type JobResult,
  unwrap,
} from "./pool-protocol.ts";
import type { QuarantineBook } from "./quarantine-book.ts";
import type { RawImage } from "./raw-image.ts";
import { clientRuntimeName } from "./runtimes.ts";
import { Scheduler } from "./scheduler.ts";
import { librarySpecs, WorkerPool } from "./worker-pool.ts";

/** The scheduler's name for library-only transcodes (no client: trusted plugins, no rate). */
export const PUBLIC_QUEUE = "(public)";

export interface PoolExecutorOptions {
  library: PluginLibrary;
  /** The client registry (given later: it compiles persisted plugins through this executor). */
  clients: () => ClientRegistry;
  quarantine: QuarantineBook;
  counters: PluginCounters;
  limits: ServerLimits;
  /** Worker threads (default: os.availableParallelism()). */
  workers?: number;
  /** A module whose `setup(kernel)` every worker calls (ServerOptions.workerSetup). */
  setup?: string;
  cache?: Partial<CacheLimits>;
  log?: (message: string) => void;
  /** Where client plugins' output goes (per client, bounded); undefined: nowhere. */
  logs?: LogBook;
}

interface Task {
  job: Job;
  deadlineMs: number;
}

export class PoolExecutor implements PluginExecutor {
  readonly pool: WorkerPool;
  readonly scheduler: Scheduler<Task, JobResult<unknown>>;

  constructor(private readonly o: PoolExecutorOptions) {
    this.pool = new WorkerPool({
      size: o.workers,
      library: librarySpecs(o.library.modules),
      clientSpec: (id) => this.specOf(id),
      deadlineMs: o.limits.jobDeadlineMs,
      maxModuleBytes: o.limits.maxModuleBytes,
      setup: o.setup,
      cache: o.cache,
      log: o.log,
      onLogs: (job, batch) => {
        if (job.kind !== "compile" && job.client)
          o.logs?.append(job.client.id, job.request ?? "", batch);
      },
    });
    this.scheduler = new Scheduler<Task, JobResult<unknown>>({
      executors: this.pool.size,
      execute: (t) => this.pool.run(t.job, { deadlineMs: t.deadlineMs }),
      fuelOf: (r) => r.fuelUsed,
      defaults: { maxQueued: o.limits.maxQueuedJobs },
    });
    // Library plugins are trusted and bounded: anonymous chains have no CPU rate of their own.
    this.scheduler.setLimits(PUBLIC_QUEUE, {
      fuelPerSecond: Number.POSITIVE_INFINITY,
      burstFuel: Number.POSITIVE_INFINITY,
      maxQueued: 16 * o.limits.maxQueuedJobs,
    });
  }

  /** What a worker builds a client's runtime from; undefined if there is no such client. */
  specOf(id: string): ClientSpec | undefined {
    const client = this.o.clients().get(id);
    if (client === undefined) return undefined;
    const quarantined = this.o.quarantine.quarantined(id);
    return {
      id,
      stamp: client.stamp,
      settings: { fuel: client.settings.fuel, memory: client.settings.memory },
      plugins: [...client.plugins.values()]
        .filter((p) => !quarantined.has(p.name))
        .map((p) => ({
          name: p.name,
          wasm: p.wasm,
          foreignHeader: p.foreign ? p.source : undefined,
        })),
    };
  }

  async transcode(job: TranscodeJob): Promise<TranscodeOutput> {
    checkPixels(job.image);
    const client = job.client === undefined ? undefined : this.client(job.client);
    if (client) {
      this.o.clients().checkReady(client);
      const modules = job.steps.map((s) => this.o.library.transforms.get(s)?.name ?? s);
      this.o.quarantine.refuse(client.id, clientRuntimeName(client.id), modules);
    }
    const result = await this.submit(
      client?.id ?? PUBLIC_QUEUE,
      {
        kind: "transcode",
        client: client && { id: client.id, stamp: client.stamp },
        steps: job.steps,
        engine: job.engine,
        params: job.params,
        image: job.image,
        output: job.output,
        request: job.request,
      },
      this.o.limits.jobDeadlineMs,
    );
    if (client) {
      this.account(client, result);
      this.logFailure(client.id, job.request, result);
    }
    const out = unwrap(result);
    if (out.kind === "raw") return { ...out, workerMs: result.ms };
    // A leased body (a view of a worker's output slab) is passed on as the very object whose
    // collection returns the slab: a new view of it would not keep it leased.
    const body = Buffer.isBuffer(out.body)
      ? out.body
      : Buffer.from(out.body.buffer, out.body.byteOffset, out.body.byteLength);
    return { ...out, body, workerMs: result.ms };
  }

  async check(job: CheckJob): Promise<CheckReport> {
    const client = this.client(job.client);
    const result = await this.submit(
      client.id,
      job.plugin === undefined
        ? { kind: "compile", source: job.source, file: job.file, wat: job.wat }
        : {
            kind: "compile",
            source: job.source,
            plugin: job.plugin,
            client: { id: client.id, stamp: client.stamp },
            wat: job.wat,
          },
      this.o.limits.compileDeadlineMs,
    );
    const out = unwrap(result);
    const report: CheckReport = {
      ok: out.ok,
      compileMs: out.compileMs,
      diagnostics: out.diagnostics,
      exports: out.exports,
      wasmBytes: out.wasm?.byteLength ?? 0,
      ...(out.wat === undefined ? {} : { wat: out.wat, lines: out.lines ?? [] }),
    };
    if (out.rejected) report.rejected = out.rejected;
    if (out.message !== undefined && !out.ok) report.message = out.message;
    if (out.linkMs !== undefined) report.linkMs = out.linkMs;
    return report;
  }

  async try(job: TryJob): Promise<TryOutcome> {
    checkPixels(job.image);
    const client = this.client(job.client);
    this.o.clients().checkReady(client);
    const result = await this.submit(
      client.id,
      {
        kind: "try",
        client: { id: client.id, stamp: client.stamp },
        name: job.name,
        source: job.source,
        steps: job.steps,
        params: job.params,
        image: job.image,
        request: job.request,
      },
      this.o.limits.jobDeadlineMs,
    );
    this.logFailure(client.id, job.request, result);
    if (!result.ok) {
      const error = new JobFailed(result.error);
      return {
        compileMs: 0,
        linkMs: 0,
        runMs: result.ms,
        fuelUsed: result.fuelUsed,
        result: { error },
      };
    }
    const v = result.value;
    if (v.rejected)
      throw new PluginRejected(v.rejected.error, v.rejected.message, v.rejected.diagnostics);
    return {
      compileMs: v.compileMs,
      linkMs: v.linkMs,
      runMs: v.runMs,
      fuelUsed: result.fuelUsed,
      result: { image: v.image! },
    };
  }

  async checkUpload(client: Client, name: string, code: PluginCode): Promise<BuiltPlugin> {
    const result = await this.submit(
      client.id,
      { ...compileJobOf(name, code), client: { id: client.id, stamp: client.stamp } },
      this.o.limits.compileDeadlineMs,
    );
    return built(unwrap(result));
  }

  async compilePersisted(_client: Client, name: string, code: PluginCode): Promise<BuiltPlugin> {
    // Start-up work of the operator's data, not a tenant's request: no scheduling.
    const result = await this.pool.run(compileJobOf(name, code), {
      deadlineMs: this.o.limits.compileDeadlineMs,
    });
    return built(unwrap(result));
  }

  /** Forgets a deleted client everywhere: scheduler, workers, counters, quarantine. */
  forget(id: string): void {
    this.scheduler.removeClient(id);
    this.pool.forget(id);
    this.o.quarantine.forget(id);
    this.o.counters.reset(clientRuntimeName(id));
    this.o.counters.reset(`playground:${id}`);
    this.o.logs?.forget(id);
  }

  async close(): Promise<void> {
    this.scheduler.close();
    await this.pool.close();
  }

  private client(id: string): Client {
    const client = this.o.clients().get(id);
    if (!client) throw new ClientGone(id);
    return client;
  }

  /** Runs a job as `queue`'s (the client's CPU rate applied); counts what it did. */
  private async submit<J extends Job>(
    queue: string,
    job: J,
    deadlineMs: number,
  ): Promise<JobResult<JobOutput<J>>> {
    if (queue !== PUBLIC_QUEUE) {
      const rate = this.o.clients().get(queue)?.settings.rate;
      if (rate !== undefined && this.scheduler.limitsOf(queue).fuelPerSecond !== rate)
        this.scheduler.setLimits(queue, { fuelPerSecond: rate, burstFuel: rate });
    }
    const result = (await this.scheduler.submit(queue, { job, deadlineMs })) as JobResult<
      JobOutput<J>
    >;
    this.o.counters.add(result.stats);
    return result;
  }

  /**
   * A plugin's failure goes into its client's log too (stderr, after what the plugin printed),
   * so an author sees in one place what their plugin did on a request.
   */
  private logFailure(client: string, request: string | undefined, result: JobResult<unknown>) {
    if (result.ok || !this.o.logs) return;
    const e = result.error;
    if (!PLUGIN_FAILURES.has(e.kind)) return;
    this.o.logs.note(client, request ?? "", e.plugin ?? "", "stderr", e.message);
  }

  /**
   * A fault (a trap, a host error) or a deadline blamed on a plugin of the client's runtime is
   * a strike; a plugin that quarantines is left out of the client's runtime from now on.
   */
  private account(client: Client, result: JobResult<unknown>): void {
    if (result.ok) return;
    const e = result.error;
    if (e.kind !== "plugin-fault" && e.kind !== "deadline-exceeded") return;
    if (e.plugin === undefined) return;
    const plugin = this.o.library.transforms.get(e.plugin)?.name ?? e.plugin;
    if (!this.o.quarantine.strike(client.id, plugin)) return;
    this.o.log?.(`client '${client.id}': plugin '${plugin}' quarantined (too many faults)`);
    if (client.plugins.has(plugin)) this.o.clients().touch(client);
  }
}

/** Failures of a plugin's own doing, which its client's log records. */
const PLUGIN_FAILURES = new Set<JobError["kind"]>([
  "plugin-fault",
  "deadline-exceeded",
  "plugin-exit",
  "transform-rejected",
  "bad-plugin-output",
]);

/** The compile job of a plugin's code (a wasm upload's declarations travel as `source`). */
function compileJobOf(name: string, code: PluginCode): Extract<Job, { kind: "compile" }> {
  if (typeof code === "string") return { kind: "compile", source: code, plugin: name };
  return { kind: "compile", source: code.header ?? "", plugin: name, wasm: code.wasm };
}

function built(out: JobOutput<Extract<Job, { kind: "compile" }>>): BuiltPlugin {
  if (!out.ok || !out.wasm) {
    throw new PluginRejected(
      out.rejected ?? "compile-error",
      out.message ?? "compilation failed",
      out.diagnostics,
    );
  }
  return {
    wasm: out.wasm,
    diagnostics: out.diagnostics,
    compileMs: out.compileMs,
    linkMs: out.linkMs ?? 0,
    exports: out.exports,
    imports: out.imports,
  };
}

/** An image whose buffer cannot hold its rows (e.g. detached by an earlier transfer) is a bug. */
function checkPixels(image: RawImage): void {
  const row = image.width * image.channels;
  const needed = image.height > 0 ? image.stride * (image.height - 1) + row : 0;
  if (image.stride < row || image.data.byteLength < needed) {
    throw new RangeError(
      `image ${image.width}x${image.height} needs ${needed} bytes; its buffer has ${image.data.byteLength}`,
    );
  }
}
