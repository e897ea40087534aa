// How a plugin worker reports a failure: any error a job raised, as the plain data of a
// JobError (pool-protocol.ts) that crosses to the main thread, which answers the request with it.

import { ExitSignal, PluginFault, QuarantineError, UnlinkedSymbolError } from "../kernel/index.ts";
import { BadPluginOutput, RuntimeMemoryExhausted, TransformRejected } from "./plugin-runner.ts";
import type { JobError } from "./pool-protocol.ts";
import { RuntimeCapacityError } from "./runtime-cache.ts";

/** A failure as data; `steps` names the plugin to blame when the error does not. */
export function describe(e: unknown, steps: readonly string[]): JobError {
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
