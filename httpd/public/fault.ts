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

/** The fault a failed request reports, or undefined when it is not a plugin fault. */
export function faultOf(f: Failure): FaultReport | undefined {
  if (f.error !== "plugin-fault") return undefined;
  // The kind is `fault` (a string), or `kind` beside or inside a `fault` object.
  const nested = typeof f.fault === "object" && f.fault !== null ? f.fault : undefined;
  const src = (nested ?? f) as Record<string, unknown>;
  const kind = str(f.fault) ?? str(nested?.kind) ?? str(f.kind) ?? "fault";
  const backtrace = Array.isArray(src.backtrace ?? f.backtrace)
    ? ((src.backtrace ?? f.backtrace) as FaultFrame[]).filter(
        (b) => typeof b === "object" && b !== null && typeof b.function === "string",
      )
    : [];
  return {
    kind,
    message: str(src.message) ?? f.message,
    plugin: str(src.plugin) ?? f.plugin,
    function: str(src.function) ?? f.function,
    file: str(src.file) ?? str(f.file),
    line: num(src.line) ?? num(f.line),
    col: num(src.col) ?? num(f.col),
    backtrace,
  };
}

/** `file:line:col` of a place, as much as is known. */
export function placeOf(p: { file?: string; line?: number; col?: number }): string | undefined {
  if (p.line === undefined) return undefined;
  return `${p.file ?? "?"}:${p.line}${p.col === undefined ? "" : `:${p.col}`}`;
}
