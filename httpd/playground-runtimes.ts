// Try before saving (the source is checked as an upload is: plugin-check.ts). A try runs
// the unsaved plugin on one image in the client's *playground runtime*: a second runtime per
// client with the client's own fuel and memory limits and the plugin library linked in, so an
// experiment can loop, crash or be half-written without touching the plugins the client's
// users are calling. The try plugin is unlinked again after every run. Playground runtimes
// live in the plugin workers (worker-main.ts), in their runtime cache, beside client runtimes.

import type { CompiledModule } from "../cc/index.ts";
import type { Kernel, Runtime } from "../kernel/index.ts";
import type { PluginLibrary } from "./library.ts";
import { createPluginRuntime, type PluginRuntimeOptions } from "./runtimes.ts";

/** The runtime name of a client's playground. */
export const playgroundRuntimeName = (client: string): string => `playground:${client}`;

/** A client's playground runtime, with the library linked in. */
export function createPlaygroundRuntime(
  kernel: Kernel,
  client: string,
  settings: { fuel: number; memory: number },
  library: PluginLibrary,
  output?: PluginRuntimeOptions["output"],
): Runtime {
  const runtime = createPluginRuntime(kernel, playgroundRuntimeName(client), {
    ...settings,
    output,
    // Every try starts from a fresh link; faults are reported per try, never quarantined.
    quarantine: false,
  });
  library.linkInto(runtime);
  return runtime;
}

/** Links an experiment as plugin `name` (replacing a leftover one). Throws on link errors. */
export function linkTrial(runtime: Runtime, name: string, module: CompiledModule): void {
  if (runtime.plugin(name)) runtime.remove(name, { cascade: true });
  runtime.add(name, module);
}

export function unlinkTrial(runtime: Runtime, name: string): void {
  if (!runtime.isDestroyed && runtime.plugin(name)) runtime.remove(name, { cascade: true });
}
