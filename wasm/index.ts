// The WebAssembly layer's public face: a binary encoder, a decoder and a WAT printer, with no
// knowledge of C. The compiler builds modules with it; the kernel and CLI only read them.
// Foreign modules (clang, rustc…) are verified, metered and described here for the kernel.

export {
  PROBE_EXPORTS,
  PROBE_WRITE,
  type ProbeRecord,
  probeBounds,
  takeProbeRecord,
} from "./bounds-probe.ts";
export { ENTRY_SUFFIX, FUEL_LEFT_ADDR } from "./convention.ts";
export {
  type DecodedModule,
  decodeInstructions,
  decodeModule,
  type Instruction,
  Reader,
  WasmDecodeError,
} from "./decoder.ts";
export { type DylinkInfo, decodeDylink } from "./dylink.ts";
export { ByteWriter, CodeWriter, type FuncType, ModuleBuilder, utf8Bytes } from "./encoder.ts";
export type { ForeignFunction, ForeignImport, ForeignModuleInfo } from "./foreign.ts";
export {
  emitRefillOrTrap,
  FUEL_COUNTER_MAX,
  FUEL_RESERVE_GLOBAL,
  type RefillSite,
} from "./fuel-refill.ts";
export {
  DEFAULT_MAX_DEPTH,
  type InstrumentedModule,
  type InstrumentOptions,
  instrument,
} from "./instrument.ts";
export { functionNames } from "./names.ts";
export type { OpName, ValType } from "./opcodes.ts";
export {
  DEPTH_EXPORT,
  type ImportGrant,
  type VerifiedModule,
  type VerifyPolicy,
  verify,
  WasmVerifyError,
} from "./verify.ts";
export { toWat, type WatLine, watLines } from "./wat.ts";
