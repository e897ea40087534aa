// A plugin fault as the page shows it: its kind, where in the C source it happened (when the
// server's error JSON says: file, line, col, the C function and a backtrace of C frames), and
// whether that place is in the editor's file.

import type { Failure, FaultFrame } from "./api.ts";

export interface FaultReport {
  kind: string;
  message: string;
  plugin?: string;
  function?: string;
  file?: string;
  line?: number;
  col?: number;
  backtrace: FaultFrame[];
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The fault a failed request reports, or undefined when it is not a plugin fault. The server's
 * body (httpd/errors.ts) has `error: "plugin-fault"`, the kind in `fault`, and `function`,
 * `file`, `line`, `col` (absent for code without a line table), `backtrace`, `access`.
 */
export function faultOf(f: Failure): FaultReport | undefined {
  if (f.error !== "plugin-fault") return undefined;
  const backtrace = Array.isArray(f.backtrace)
    ? f.backtrace.filter(
        (b) => typeof b === "object" && b !== null && typeof b.function === "string",
      )
    : [];
  const report: FaultReport = { kind: str(f.fault) ?? "fault", message: f.message, backtrace };
  if (str(f.plugin)) report.plugin = f.plugin!;
  if (str(f.function)) report.function = f.function!;
  const line = num(f.line);
  if (line !== undefined) {
    report.line = line;
    if (str(f.file)) report.file = f.file!;
    const col = num(f.col);
    if (col !== undefined) report.col = col;
  }
  return report;
}

/** `file:line:col` of a place, as much as is known. */
export function placeOf(p: { file?: string; line?: number; col?: number }): string | undefined {
  if (p.line === undefined) return undefined;
  return `${p.file ?? "?"}:${p.line}${p.col === undefined ? "" : `:${p.col}`}`;
}
