// The address of an out-of-bounds fault, recovered by replay. V8 traps a wasm load or store out
// of bounds without its operand, so the first run cannot tell the address (and keeps the hot
// path free of checks). Whoever can run the same call again from the same starting state runs
// it on a runtime created with `boundsProbe: true` (every module's probed build,
// wasm/bounds-probe.ts), under the same fuel budget, and hands both faults here: the replayed
// address is taken only if the replay faulted at the very same instruction of the same plugin
// with the same access; anything else (a plugin whose state from earlier calls made the
// difference, a replay that did not fault) leaves the address unknown, never wrong.
//
// Who replays: `runProgram` (kplug run: the program is deterministic, its stdin recorded), the
// image runner of `kplug run --image` and the server's workers (`replayFault`: a replica of the
// runtime, built the same way, given the same input image and parameters). A long-lived runtime
// may have served calls that left state behind: the replica starts from linked state, so
// `replayFault` also requires every plugin's static data to be the same in both runtimes at the
// trap (a counter or a cached pointer that differs leaves the address unknown).

import { PluginFault } from "./faults.ts";
import type { Kernel } from "./kernel.ts";
import type { Runtime } from "./runtime.ts";

/** Whether `e` is a load or store fault out of bounds whose address a replay could find. */
export function wantsAddress(e: unknown): e is PluginFault {
  return (
    e instanceof PluginFault &&
    e.kind === "out-of-bounds" &&
    e.site !== undefined &&
    e.access !== undefined &&
    e.access.size > 0 &&
    (e.access.access === "read" || e.access.access === "write") &&
    e.access.address === undefined
  );
}

/**
 * `original` with the address of `replayed` (what the probed replay threw, or undefined when
 * it did not fault) when the replay faulted at the same access; else `original` itself.
 */
export function withReplayedAddress(original: PluginFault, replayed: unknown): PluginFault {
  if (!wantsAddress(original) || !(replayed instanceof PluginFault)) return original;
  const a = original.access!;
  const b = replayed.access;
  const same =
    replayed.kind === "out-of-bounds" &&
    replayed.site?.plugin === original.site!.plugin &&
    replayed.site.offset === original.site!.offset &&
    b?.address !== undefined &&
    b.size === a.size &&
    b.access === a.access;
  return same ? original.withAddress(b!.address!) : original;
}

/**
 * Replays the call that raised `fault` in `runtime` on its probe replica
 * (`Kernel.probeReplica`): `call(replica)` must make the same call the same way (the same
 * input, parameters and fuel budget). The static data of the plugins it runs (`plugins`, with
 * the faulting one and all they import from) must then be the same in both runtimes. Returns `fault` with its address when the replay
 * reached the same access from the same plugin state; else `fault` unchanged. The replica is
 * destroyed before it returns.
 */
export function replayFault(
  kernel: Kernel,
  runtime: Runtime,
  fault: PluginFault,
  call: (replica: Runtime) => void,
  /** The plugins the call runs (default all): their state, and their imports', must agree. */
  plugins?: readonly string[],
): PluginFault {
  if (!wantsAddress(fault)) return fault;
  let replica: Runtime;
  try {
    replica = kernel.probeReplica(runtime);
  } catch {
    return fault; // it no longer links as it did: nothing to replay on
  }
  try {
    let thrown: unknown;
    try {
      call(replica);
    } catch (e) {
      thrown = e;
    }
    const found = withReplayedAddress(fault, thrown);
    if (found === fault) return fault;
    const names = plugins && [...plugins, fault.site!.plugin];
    return sameState(runtime.staticState(names), replica.staticState(names)) ? found : fault;
  } finally {
    kernel.destroyRuntime(replica.name);
  }
}

function sameState(a: Map<string, Uint8Array>, b: Map<string, Uint8Array>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, bytes] of a) {
    const other = b.get(name);
    if (!other || other.length !== bytes.length) return false;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== other[i]) return false;
  }
  return true;
}
