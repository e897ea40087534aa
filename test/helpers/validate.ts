// Validates wasm bytes with wabt, so tests can prove that every module the compiler emits is
// valid WebAssembly (with the post-MVP features kplug uses), with the validator's own message.

import type wabtFactory from "wabt";

type Wabt = Awaited<ReturnType<typeof wabtFactory>>;

export const WASM_FEATURES = {
  bulk_memory: true,
  sat_float_to_int: true,
  sign_extension: true,
  mutable_globals: true,
  multi_value: true,
  exceptions: true,
} as const;

let wabtInstance: Promise<Wabt> | undefined;

/** The wabt toolkit, loaded on first use and once per process. */
export function loadWabt(): Promise<Wabt> {
  wabtInstance ??= import("wabt").then((wabt) => wabt.default());
  return wabtInstance;
}

/** Throws an Error carrying wabt's message unless `bytes` is a valid module. */
export async function validateWasm(bytes: Uint8Array): Promise<void> {
  const wabt = await loadWabt();
  let module: ReturnType<Wabt["readWasm"]> | undefined;
  try {
    module = wabt.readWasm(bytes, { readDebugNames: false, ...WASM_FEATURES });
    module.validate();
  } catch (error) {
    // wabt's errors are thrown from minified code; rethrow so a failing test shows only the
    // validator's message.
    throw new Error(`invalid wasm: ${(error as Error).message.trim()}`, { cause: error });
  } finally {
    module?.destroy();
  }
}
