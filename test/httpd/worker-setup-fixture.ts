// A ServerOptions.workerSetup module for the isolation tests: kernel exports a plugin may call
// that misbehave as no fuel can bound: one never returns, one ends the worker thread.

import { HOST_EXTENSION_GROUP } from "../../httpd/runtimes.ts";
import type { Kernel } from "../../kernel/index.ts";

export function setup(kernel: Kernel): void {
  kernel.export(
    "hang",
    "int hang(int v)",
    (v: number): never => {
      // Spins without end: only the watchdog can stop this worker.
      let i = v;
      for (;;) i = (i + 1) | 0;
    },
    { group: HOST_EXTENSION_GROUP },
  );
  kernel.export("crash_worker", "int crash_worker(int v)", (v: number) => process.exit(v), {
    group: HOST_EXTENSION_GROUP,
  });
}
