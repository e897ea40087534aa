// Errors the kernel API throws to the host (faults are in faults.ts, link errors in linker.ts).

import { type Diagnostic, formatDiagnostics } from "../cc/index.ts";

/** `runtime.add(name, source)` with source that does not compile. Carries the diagnostics. */
export class CompileError extends Error {
  override name = "CompileError";

  constructor(
    readonly diagnostics: Diagnostic[],
    readonly source: string,
    readonly file: string,
  ) {
    super(
      `${file}: compilation failed\n${formatDiagnostics(
        diagnostics.filter((d) => d.severity === "error"),
        { [file]: source },
      )}`,
    );
  }
}

/** An upcall to a plugin that quarantine has disabled. */
export class QuarantineError extends Error {
  override name = "QuarantineError";
  constructor(
    readonly runtime: string,
    readonly plugin: string,
    readonly symbol: string,
  ) {
    super(
      `plugin '${plugin}' of runtime '${runtime}' is quarantined (too many faults); ` +
        `'${symbol}' is disabled until the plugin is reinstated or the runtime reset`,
    );
  }
}

/** An upcall through a handle whose symbol is no longer linked. */
export class UnlinkedSymbolError extends Error {
  override name = "UnlinkedSymbolError";
  constructor(
    readonly runtime: string,
    readonly symbol: string,
  ) {
    super(`symbol '${symbol}' is not linked in runtime '${runtime}'`);
  }
}

/** Misuse of the kernel API (unknown names, destroyed runtimes, refused unlinks). */
export class KernelError extends Error {
  override name = "KernelError";
}
