// What the compiler hands to the kernel: wasm bytes plus the description of the module's
// imports and exports with their C signatures. The same description is embedded in the wasm
// as a custom section, so a cached `.wasm` file can be linked without its source.
//
// Linking convention (all imports come from module "env"; each is imported only if used):
//   memory                    the runtime's linear memory
//   __stack_pointer           mutable i32 global: top of the shadow stack (grows down)
//   __memory_base             i32 global: where this module's static data was placed
//   __table_base              i32 global: where this module's function-table slots start
//   __indirect_function_table the runtime's function table (for function pointers)
//   fuel                      mutable i32 global: remaining fuel of the current upcall
//   __kplug_jmp_counter       mutable i64 global: setjmp frame invocations so far (unique ids)
//   __kplug_longjmp           exception tag (param i32 i32): longjmp's (jmp_buf, value); a
//                             function calling setjmp runs its body in `try ... catch` of it
//   fuel_reserve              mutable f64 global: the part of a budget above 2^31-1, which a
//                             charge's cold path moves into the counter when it finds the
//                             counter short (wasm/fuel-refill.ts)
//   <symbol>                  every extern function: kernel exports and other plugins'
//
// Runtime layout fixed by convention: addresses [0, NULL_PAGE_SIZE) are the NULL page, never
// handed out; the shadow stack sits above it (STACK_FLOOR = NULL_PAGE_SIZE) and grows down
// towards STACK_FLOOR. A function whose frame would cross STACK_FLOOR executes `unreachable`
// with `fuel` untouched.
//
// NULL page: wasm cannot protect page 0, so unless compiled with `nullChecks: false` every load
// and store checks its base pointer (cc/null-checks.ts): a base below NULL_PAGE_SIZE stores
// `base - NULL_PAGE_SIZE` (negative, never 0) at NULL_FAULT_ADDR and executes `unreachable`.
// The kernel reads (and clears) that word to report the trap as a `null-pointer` fault.
//
// Traps: generated code only emits `unreachable` for fuel exhaustion (after the refill path
// found the budget spent and left `fuel` negative), shadow-stack overflow and failed null checks (above). Fuel is charged 1 per loop back-edge
// (checked at the loop header) and 1 per call; a function stores its local counter to `fuel`
// before calls and returns. A counted loop (`for` or `while` with an invariant bound and a step
// no `continue` can skip, no exits, no real calls) is charged its whole trip count once at
// entry instead: the same total, no per-iteration check. Loops whose index could wrap are
// never counted, so they still run out of fuel.
//
// Line table: a `kplug.lines` custom section maps code offsets to C file:line:col, with the
// inlined functions' frames; its format is documented in line-table.ts. Fault reports and the
// playground read it; nothing of it runs.
//
// Entry points: setting a WebAssembly.Global from JS costs ~25 ns, too much for an upcall.
// So a metered module also exports, for each exported function F, `F$entry` taking the fuel
// budget as an extra first i32 parameter: it sets `fuel`, calls F, stores the remaining fuel
// at FUEL_LEFT_ADDR (for bookkeeping) and returns F's result. Hosts call `F$entry`; plugins
// import plain `F`.
//
// ABI: char/short/int/long/pointers/enums/_Bool are i32, long long i64, float f32, double f64.
// Structs and unions are passed as a pointer to a caller-made copy; a function returning one
// takes a hidden first i32 parameter pointing to the result slot and returns nothing. A
// variadic function takes its fixed parameters, then one i32 pointing to the variadic
// arguments (after the default promotions), laid out in memory in order: int/pointer 4 bytes,
// long long and double 8 bytes aligned to 8, structs and unions by value in a slot of their
// size rounded up to 4, aligned to 8 when they are (cc/stdarg.ts reads it with va_arg; the
// host's printf family too). Function pointers are table indices.

import type { ValType } from "../wasm/index.ts";
import { utf8Bytes } from "../wasm/index.ts";
import type { Loc } from "./diagnostics.ts";

/** The NULL page: addresses below this are never handed out; accesses through them fault. */
export const NULL_PAGE_SIZE = 4096;
/** The shadow stack stops here (above the NULL page). */
export const STACK_FLOOR = NULL_PAGE_SIZE;
/** Where a failed null check leaves `address - NULL_PAGE_SIZE` (inside the NULL page). */
export const NULL_FAULT_ADDR = 12;
export { ENTRY_SUFFIX, FUEL_LEFT_ADDR } from "../wasm/index.ts";
/** The `env` import of the runtime's longjmp exception tag, payload (jmp_buf, value). */
export const LONGJMP_TAG = "__kplug_longjmp";
/** The `env` import of the runtime's mutable i64 count of setjmp frame invocations. */
export const JMP_COUNTER = "__kplug_jmp_counter";
/** Name of the wasm custom section holding a compiled module's `ModuleInfo` as JSON. */
export const META_SECTION = "kplug.meta";

/** A function a module imports or exports: its C name and signature and its wasm type. */
export interface FunctionSymbol {
  /** The C name (also the wasm import or export name). */
  name: string;
  /** Canonical C signature, e.g. `int (int, unsigned char *)`; compared at link time. */
  signature: string;
  /** The wasm-level signature after the ABI rules above. */
  params: ValType[];
  /** Empty for `void` and for struct returns (those go through a hidden pointer). */
  results: ValType[];
  /**
   * Imports only: where the source declares it (its `extern` declaration), or its first call
   * when it is declared in a built-in header; link errors point there.
   */
  loc?: Loc;
}

/** Which of the runtime's shared objects (module "env" imports) a module needs linked. */
export interface ModuleUses {
  stackPointer: boolean;
  memoryBase: boolean;
  tableBase: boolean;
  table: boolean;
  fuel: boolean;
  /** Imports the longjmp tag (some function calls setjmp); absent in older modules. */
  setjmp?: boolean;
}

/**
 * What the linker needs to know of a compiled module besides its code: its C-level imports and
 * exports, and the static data and table slots to reserve for it. Stored in the wasm too.
 */
export interface ModuleInfo {
  /** Source file name, for messages. */
  file: string;
  /** Functions it calls and does not define: kernel exports or other plugins' functions. */
  imports: FunctionSymbol[];
  /** Functions it defines that are not `static`. */
  exports: FunctionSymbol[];
  /** Bytes of static data (initialized and zeroed) to reserve at `__memory_base`. */
  dataSize: number;
  /** Alignment that static data needs, in bytes. */
  dataAlign: number;
  /** Function-table slots to reserve at `__table_base`. */
  tableSize: number;
  /** The runtime objects it imports. */
  uses: ModuleUses;
  /** Compiled with fuel metering (off only for measurement). */
  metered: boolean;
}

/**
 * A module `compile()` made: its description plus the wasm bytes. Save `wasm` and read it back
 * with `moduleFromWasm`; on its own it is not an instantiated or linked module.
 */
export interface CompiledModule extends ModuleInfo {
  /** The WebAssembly binary, with the description in its `kplug.meta` section. */
  wasm: Uint8Array<ArrayBuffer>;
}

export function encodeModuleInfo(info: ModuleInfo): Uint8Array {
  const { file, imports, exports, dataSize, dataAlign, tableSize, uses, metered } = info;
  const json = { file, imports, exports, dataSize, dataAlign, tableSize, uses, metered };
  return utf8Bytes(JSON.stringify(json));
}

/** Reads the metadata back from a compiled wasm binary (e.g. one loaded from disk). */
export function moduleFromWasm(wasm: Uint8Array<ArrayBuffer>): CompiledModule {
  const mod = new WebAssembly.Module(wasm);
  const sections = WebAssembly.Module.customSections(mod, META_SECTION);
  if (sections.length !== 1) throw new Error(`not a kplug module: no ${META_SECTION} section`);
  const info = JSON.parse(new TextDecoder().decode(sections[0])) as ModuleInfo;
  return { ...info, wasm };
}
