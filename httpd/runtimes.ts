// Every runtime that runs image plugins (the shared library runtime, each client's own, each
// client's playground) is made here, so what plugins may call is granted in one place.

import type { ByteSink, Kernel, Runtime, RuntimeOptions } from "../kernel/index.ts";
import { IMAGE_BUFFER_GROUP } from "./image-buffers.ts";

/**
 * The kernel export group of extensions an embedder installs in every plugin worker
 * (ServerOptions.workerSetup): exports published with `{ group: HOST_EXTENSION_GROUP }`.
 */
export const HOST_EXTENSION_GROUP = "host";

/** The kernel exports image plugins may link: libc, the host's image buffers, extensions. */
export const PLUGIN_GRANTS: readonly string[] = ["libc", IMAGE_BUFFER_GROUP, HOST_EXTENSION_GROUP];

/** The runtime name of a client's own runtime. */
export const clientRuntimeName = (client: string): string => `client:${client}`;

export interface PluginRuntimeOptions {
  memory: number;
  fuel: number;
  quarantine: RuntimeOptions["quarantine"];
  /** Where plugins' stdout and stderr go (default nowhere): a worker's LogCapture. */
  output?: { stdout: ByteSink; stderr: ByteSink };
}

/**
 * A runtime for image plugins. Their stdout and stderr go to `output`, which must be bounded
 * (the server's is log-capture.ts), or nowhere.
 */
export function createPluginRuntime(
  kernel: Kernel,
  name: string,
  options: PluginRuntimeOptions,
): Runtime {
  return kernel.createRuntime(name, {
    memory: options.memory,
    fuel: options.fuel,
    quarantine: options.quarantine,
    allow: [...PLUGIN_GRANTS],
    stdout: options.output?.stdout ?? (() => {}),
    stderr: options.output?.stderr ?? (() => {}),
  });
}
