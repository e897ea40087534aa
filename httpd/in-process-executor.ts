// The plugin executor that runs jobs right here, on the event loop, in the runtimes the server
// holds: the shared library runtime, each client's runtime, each client's playground runtime.

import { compile } from "../cc/index.ts";
import { type Kernel, PluginFault, type Runtime } from "../kernel/index.ts";
import type { ClientStore } from "./clients.ts";
import { encodePnm } from "./codecs.ts";
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
import { IMAGE_INCLUDES, type PluginLibrary } from "./library.ts";
import { PlaygroundRuntimes } from "./playground-runtimes.ts";
import { checkPlugin, linkPlugin } from "./plugin-check.ts";
import { detached, runChain } from "./plugin-runner.ts";

export interface InProcessHost {
  kernel: Kernel;
  library: PluginLibrary;
  libraryRuntime: Runtime;
  clients: Pick<ClientStore, "get">;
}

export class InProcessExecutor implements PluginExecutor {
  private readonly tries: PlaygroundRuntimes;

  constructor(private readonly host: InProcessHost) {
    this.tries = new PlaygroundRuntimes(host.kernel, () => host.library);
  }

  private client(id: string) {
    const client = this.host.clients.get(id);
    if (!client) throw new ClientGone(id);
    return client;
  }

  async transcode(job: TranscodeJob): Promise<TranscodeOutput> {
    const runtime =
      job.client === undefined ? this.host.libraryRuntime : this.client(job.client).runtime;
    if (job.output === "pnm") {
      // Encoded straight from plugin memory: the result's pixels are copied once, into the body.
      return runChain(runtime, job.steps, job.image, job.params, (r) => ({
        kind: "pnm",
        body: encodePnm(r),
        width: r.width,
        height: r.height,
        channels: r.channels,
      }));
    }
    return { kind: "raw", image: runChain(runtime, job.steps, job.image, job.params, detached) };
  }

  async check(job: CheckJob): Promise<CheckReport> {
    const t0 = performance.now();
    const result = compile(job.source, { file: job.file, includes: IMAGE_INCLUDES });
    const compileMs = performance.now() - t0;
    return {
      ok: result.ok,
      compileMs,
      diagnostics: result.diagnostics,
      exports: result.ok
        ? result.module.exports.map((e) => ({ name: e.name, signature: e.signature }))
        : [],
      wasmBytes: result.ok ? result.module.wasm.length : 0,
    };
  }

  async try(job: TryJob): Promise<TryOutcome> {
    const client = this.client(job.client);
    const { name, source } = job;
    const check = checkPlugin(name, source);
    this.tries.prune((known) => this.host.clients.get(known.id) === known);
    const runtime = this.tries.runtimeFor(client);
    const linkMs = linkPlugin(name, source, () => this.tries.link(runtime, name, check.module));
    const before = this.fuelOf(runtime, job.steps);
    const t0 = performance.now();
    let result: TryOutcome["result"];
    try {
      result = { image: runChain(runtime, job.steps, job.image, job.params, detached) };
    } catch (error) {
      result = { error };
    }
    const runMs = performance.now() - t0;
    let fuelUsed = this.fuelOf(runtime, job.steps) - before;
    // A run stopped for fuel burnt its whole budget, whatever the counters saw.
    if ("error" in result && result.error instanceof PluginFault) {
      if (result.error.kind === "fuel-exhausted")
        fuelUsed = Math.max(fuelUsed, client.settings.fuel);
    }
    this.tries.unlink(runtime, name);
    return { compileMs: check.compileMs, linkMs, runMs, fuelUsed, result };
  }

  /** Fuel used so far by the plugins of a chain (each counted once). */
  private fuelOf(runtime: Runtime, steps: string[]): number {
    let fuel = 0;
    for (const step of new Set(steps)) {
      const module = this.host.library.transforms.get(step)?.name ?? step;
      if (runtime.plugin(module)) fuel += runtime.stats(module).fuelUsed;
    }
    return fuel;
  }
}
