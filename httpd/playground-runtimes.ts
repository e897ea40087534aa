// Try before saving (the source is checked as an upload is: plugin-check.ts). A try runs
// the unsaved plugin on one image in the client's *playground runtime*: a second runtime per
// client with the client's own fuel and memory limits and the plugin library linked in, so an
// experiment can loop, crash or be half-written without touching the plugins the client's
// users are calling. The try plugin is unlinked again after every run.

import type { CompiledModule } from "../cc/index.ts";
import type { Kernel, Runtime } from "../kernel/index.ts";
import type { Client } from "./clients.ts";
import type { PluginLibrary } from "./library.ts";
import { createPluginRuntime } from "./runtimes.ts";

/** The playground runtimes, one per client, created on a client's first try. */
export class PlaygroundRuntimes {
  private readonly runtimes = new Map<string, { client: Client; runtime: Runtime }>();

  constructor(
    private readonly kernel: Kernel,
    private readonly library: () => PluginLibrary,
  ) {}

  /** Destroys the playground runtimes of clients that no longer exist. */
  prune(isCurrent: (client: Client) => boolean): void {
    for (const [id, { client, runtime }] of this.runtimes) {
      if (isCurrent(client)) continue;
      this.runtimes.delete(id);
      if (!runtime.isDestroyed) this.kernel.destroyRuntime(runtime.name);
    }
  }

  runtimeFor(client: Client): Runtime {
    const known = this.runtimes.get(client.id);
    if (known && known.client === client && !known.runtime.isDestroyed) return known.runtime;
    // The client was deleted and re-created since: its old playground goes with it.
    const name = `playground:${client.id}`;
    if (this.kernel.runtime(name)) this.kernel.destroyRuntime(name);
    const runtime = createPluginRuntime(this.kernel, name, {
      ...client.settings,
      // Every try starts from a fresh link; faults are reported per try, never quarantined.
      quarantine: false,
    });
    this.library().linkInto(runtime);
    this.runtimes.set(client.id, { client, runtime });
    return runtime;
  }

  /** Links an experiment as plugin `name` (replacing a leftover one). Throws on link errors. */
  link(runtime: Runtime, name: string, module: CompiledModule): void {
    if (runtime.plugin(name)) runtime.remove(name, { cascade: true });
    runtime.add(name, module);
  }

  unlink(runtime: Runtime, name: string): void {
    if (!runtime.isDestroyed && runtime.plugin(name)) runtime.remove(name, { cascade: true });
  }
}
