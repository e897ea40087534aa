// Errors the kernel API throws to the host (faults are in faults.ts, link errors in linker.ts).

import { type Diagnostic, formatDiagnostics } from "../cc/index.ts";

/**
 * `runtime.add(name, source)` with source that does not compile; carries the diagnostics.
 * Nothing was linked. Not a link failure (`LinkError`).
 */
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

/** An upcall refused because quarantine disabled its plugin; not a fault of this call. */
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

/**
 * A symbol not linked in the runtime: from `lookup`/`call`, or from a handle whose symbol was
 * unlinked (the handle works again once the symbol is linked again).
 */
export class UnlinkedSymbolError extends Error {
  override name = "UnlinkedSymbolError";
  constructor(
    readonly runtime: string,
    readonly symbol: string,
  ) {
    super(`symbol '${symbol}' is not linked in runtime '${runtime}'`);
  }
}

/** Misuse of the kernel API (unknown names, destroyed runtimes, refused unlinks); not a plugin's doing. */
export class KernelError extends Error {
  override name = "KernelError";
}
