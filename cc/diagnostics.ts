// Diagnostics: every compiler stage reports problems here instead of throwing, so one run can
// report several errors and bad input never escapes as an exception.

/** An error stops the compile; a warning is reported beside a module that still compiles. */
export type Severity = "error" | "warning";

/** A position in a source file; `line` and `col` are 1-based, `col` counts characters. */
export interface Loc {
  file: string;
  line: number;
  col: number;
}

/** A problem the compiler found, at a position in a source file. */
export interface Diagnostic extends Loc {
  severity: Severity;
  message: string;
}

/** Thrown by a stage to abandon the current construct; caught where the stage can resume. */
export class CompileAbort extends Error {}

/** Thrown when the error limit is reached: the whole compilation stops. */
export class TooManyErrors extends Error {}

export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  errorCount = 0;

  constructor(readonly maxErrors = 20) {}

  error(loc: Loc, message: string): void {
    this.list.push({ severity: "error", message, file: loc.file, line: loc.line, col: loc.col });
    if (++this.errorCount >= this.maxErrors) throw new TooManyErrors();
  }

  warning(loc: Loc, message: string): void {
    this.list.push({ severity: "warning", message, file: loc.file, line: loc.line, col: loc.col });
  }

  /** Reports an error and abandons the current construct. */
  fatal(loc: Loc, message: string): never {
    this.error(loc, message);
    throw new CompileAbort(message);
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  /** Puts `earlier`'s diagnostics before this sink's (one pass reported to each). */
  prepend(earlier: DiagnosticSink): void {
    const mine = this.list.splice(0);
    for (const d of earlier.list) this.list.push(d);
    for (const d of mine) this.list.push(d);
    this.errorCount += earlier.errorCount;
  }
}

/**
 * Formats a diagnostic as `file:line:col: error: message`, then the source line and a caret
 * under the column (when the file's text is known).
 */
export function formatDiagnostic(d: Diagnostic, sources?: Record<string, string>): string {
  const head = `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
  const text = sources?.[d.file];
  if (text === undefined) return head;
  const line = text.split("\n")[d.line - 1];
  if (line === undefined) return head;
  const shown = line.replace(/\r$/, "");
  // Keep tabs so the caret lines up under the same column in a terminal.
  const pad = shown.slice(0, Math.max(0, d.col - 1)).replace(/[^\t]/g, " ");
  return `${head}\n${shown}\n${pad}^`;
}

/** Diagnostics as compiler text, one `formatDiagnostic` each, joined by newlines. */
export function formatDiagnostics(
  ds: readonly Diagnostic[],
  sources?: Record<string, string>,
): string {
  return ds.map((d) => formatDiagnostic(d, sources)).join("\n");
}
