// The shape of a benchmark run's results: what groups produce, what latest.json holds and what
// report.ts renders. Groups never format numbers themselves; they hand over Stats and numbers.

import type { MeasureOptions, Stat } from "./stats.ts";

/** A table cell: text, a plain number (with the column's unit), a timing, or "not measured". */
export type Cell = string | number | Stat | null;

export interface Table {
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** How to read the table: method, what is included, caveats. */
  notes?: string[];
}

export interface Series {
  name: string;
  /** [x, y] with y in nanoseconds (line charts) or any unit named by the chart. */
  points: [number, number][];
}

export interface Chart {
  id: string;
  title: string;
  kind: "line" | "bar";
  xLabel: string;
  yLabel: string;
  /** Unit of the y values: nanoseconds are formatted as time, anything else as a number. */
  yUnit: "ns" | "number";
  logY?: boolean;
  /** Line charts: one series per line. Bar charts: one series, x = index into `categories`. */
  series: Series[];
  categories?: string[];
}

/** One row of the summary that opens BENCHMARKS.md. */
export interface SummaryEntry {
  measure: string;
  paper: string;
  kplug: number | null;
  peer: number | null;
  peerName: string;
  unit: "ns" | "ratio" | "percent";
  /** Optional target from the issues, shown next to kplug's figure. */
  target?: string;
}

export interface Unavailable {
  part: string;
  reason: string;
}

export interface GroupResult {
  id: string;
  title: string;
  /** One paragraph on what the group measures and how. */
  description: string;
  status: "ok" | "partial" | "unavailable";
  unavailable: Unavailable[];
  tables: Table[];
  charts: Chart[];
  summary: SummaryEntry[];
  durationMs: number;
}

export interface BenchContext {
  quick: boolean;
  /** Measurement budgets for this run. */
  profile: MeasureOptions;
  /** Repository root (absolute). */
  root: string;
  /** Scratch directory for native builds (absolute, not committed). */
  buildDir: string;
  log: (message: string) => void;
}

/** What a group fills in while it runs; the runner adds id, title, status and timing. */
export interface GroupOutput {
  tables: Table[];
  charts: Chart[];
  summary: SummaryEntry[];
  unavailable: Unavailable[];
}

export interface BenchGroup {
  id: string;
  title: string;
  description: string;
  run(ctx: BenchContext, out: GroupOutput): Promise<void>;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  v8: string;
  gcc: string;
  tcc: string;
}

export interface BenchResults {
  date: string;
  command: string;
  quick: boolean;
  machine: Machine;
  durationMs: number;
  groups: GroupResult[];
}
