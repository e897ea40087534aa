// The compiler's public face: C source in, a linkable WebAssembly module (or diagnostics) out.
// Everything outside cc/ enters the compiler here (test/layers.test.ts enforces it).

export { type DeclarationsResult, parseDeclarations } from "./c-declarations.ts";
export { type CompileOptions, type CompileResult, compile } from "./compile.ts";
export {
  type Diagnostic,
  formatDiagnostic,
  formatDiagnostics,
  type Loc,
  type Severity,
} from "./diagnostics.ts";
export { allHeaders, builtinHeaders, INCLUDE_DIR, kplugHeaders, libcFunctions } from "./headers.ts";
export { type CompileLimits, defaultLimits } from "./limits.ts";
export {
  decodeLineTable,
  LINES_SECTION,
  type LineRow,
  LineTable,
  type SourceFrame,
} from "./line-table.ts";
export {
  type CompiledModule,
  ENTRY_SUFFIX,
  FUEL_LEFT_ADDR,
  type FunctionSymbol,
  JMP_COUNTER,
  LONGJMP_TAG,
  META_SECTION,
  type ModuleInfo,
  type ModuleUses,
  moduleFromWasm,
  NULL_FAULT_ADDR,
  NULL_PAGE_SIZE,
  STACK_FLOOR,
} from "./module.ts";
