// longjmp's exception: a wasm exception of the runtime's tag, payload (jmp_buf address, value),
// caught by the frame whose setjmp saved that jmp_buf (cc/lower-cfg.ts). Node 20 (V8 11.3)
// runs the legacy exception-handling proposal by default; TypeScript's lib does not declare
// WebAssembly.Tag or WebAssembly.Exception yet, hence the narrow typings here.
//
// One tag per runtime's resources (kernel/memory.ts), imported by every module that calls
// setjmp, so a longjmp crosses module boundaries inside the runtime (plugin A's setjmp, plugin
// B's longjmp) and host frames between them (qsort's comparator). An exception that reaches
// the outermost upcall gate found no live frame that saved its jmp_buf: a `longjmp` fault.

/** A WebAssembly.Tag. */
export interface WasmTag {
  readonly __wasmTag: never;
}

/** A WebAssembly.Exception (not an Error; `stack` only with `traceStack`). */
export interface WasmException {
  is(tag: WasmTag): boolean;
  getArg(tag: WasmTag, index: number): unknown;
  readonly stack?: string;
}

const api = WebAssembly as unknown as {
  Tag: new (type: { parameters: string[] }) => WasmTag;
  Exception: new (
    tag: WasmTag,
    payload: unknown[],
    options?: { traceStack?: boolean },
  ) => WasmException;
};

/** A tag of longjmp's payload: (i32 jmp_buf, i32 value). */
export function newLongjmpTag(): WasmTag {
  return new api.Tag({ parameters: ["i32", "i32"] });
}

/**
 * The exception `longjmp(env, value)` throws; `value` 0 becomes 1 (C11 7.13.2.1). Its stack
 * trace places a `longjmp` fault at the call.
 */
export function longjmpException(tag: WasmTag, env: number, value: number): WasmException {
  return new api.Exception(tag, [env, value === 0 ? 1 : value], { traceStack: true });
}

/** Whether `e` is a wasm exception (the only ones plugins can throw are longjmp's). */
export function isWasmException(e: unknown): e is WasmException {
  return e instanceof api.Exception;
}
