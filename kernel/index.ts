// The kernel's public API: what a Node service embeds to run client plugins.

export { CompileError, KernelError, QuarantineError, UnlinkedSymbolError } from "./errors.ts";
export { replayFault, wantsAddress, withReplayedAddress } from "./fault-replay.ts";
export type { FaultAccess, FaultFrame, FaultLocation, FaultSite } from "./fault-report.ts";
export {
  ExitSignal,
  type FaultKind,
  faultHeadline,
  faultKinds,
  HostTrap,
  PluginFault,
} from "./faults.ts";
export { type ForeignModule, isForeign, SIGNATURE_SECTION } from "./foreign.ts";
export { ForeignMemory } from "./foreign-memory.ts";
export { FuelBudgetError, MAX_FUEL } from "./fuel.ts";
export {
  DEFAULT_FUEL,
  DEFAULT_MEMORY,
  DEFAULT_STACK,
  type ExportOptions,
  Kernel,
  MAX_STACK,
  type RuntimeOptions,
  type SignatureSpec,
} from "./kernel.ts";
export { LIBC_GROUP, libcSignatures } from "./libc.ts";
export { LinkError } from "./linker.ts";
export { Allocation } from "./memory.ts";
export { Plugin, type PluginStats } from "./plugin.ts";
export { type RunOptions, type RunResult, runProgram } from "./program.ts";
export { defaultQuarantine, type QuarantinePolicy, strikeWindow } from "./quarantine.ts";
export { type AddOptions, type PluginCode, Runtime } from "./runtime.ts";
export { parseSignature, SignatureError } from "./signature.ts";
export type { ByteSource } from "./stdin.ts";
export type { ByteSink } from "./stdout.ts";
