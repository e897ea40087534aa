// The package's root, `import ... from "kplug"`: the compiler (C source in, a linkable
// WebAssembly module out) and the kernel that links and runs compiled plugins isolated, with
// fuel and memory limits. It re-exports the public faces cc/index.ts and kernel/index.ts; the
// image server is `kplug/server` (httpd/index.ts). No runtime dependencies.

// ---- the compiler ------------------------------------------------------------------------
export {
  allHeaders,
  builtinHeaders,
  type CompiledModule,
  type CompileLimits,
  type CompileOptions,
  type CompileResult,
  compile,
  type Diagnostic,
  defaultLimits as defaultCompileLimits,
  type FunctionSymbol,
  formatDiagnostic,
  formatDiagnostics,
  INCLUDE_DIR,
  kplugHeaders,
  type Loc,
  libcFunctions,
  type ModuleInfo,
  moduleFromWasm,
  type Severity,
} from "./cc/index.ts";

// ---- the kernel --------------------------------------------------------------------------
export {
  type AddOptions,
  Allocation,
  type ByteSink,
  type ByteSource,
  CompileError,
  DEFAULT_FUEL,
  DEFAULT_MEMORY,
  DEFAULT_STACK,
  defaultQuarantine,
  ExitSignal,
  type ExportOptions,
  type FaultKind,
  faultKinds,
  HostTrap,
  Kernel,
  KernelError,
  LIBC_GROUP,
  LinkError,
  libcSignatures,
  Plugin,
  PluginFault,
  type PluginStats,
  parseSignature,
  QuarantineError,
  type QuarantinePolicy,
  type RunOptions,
  type RunResult,
  Runtime,
  type RuntimeOptions,
  runProgram,
  SignatureError,
  type SignatureSpec,
  UnlinkedSymbolError,
} from "./kernel/index.ts";
