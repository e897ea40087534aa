// The WebAssembly layer's public face: a binary encoder, a decoder and a WAT printer, with no
// knowledge of C. The compiler builds modules with it; the kernel and CLI only read them.

export {
  type DecodedModule,
  decodeInstructions,
  decodeModule,
  type Instruction,
  WasmDecodeError,
} from "./decoder.ts";
export { CodeWriter, type FuncType, ModuleBuilder, utf8Bytes } from "./encoder.ts";
export type { OpName, ValType } from "./opcodes.ts";
export { toWat } from "./wat.ts";
