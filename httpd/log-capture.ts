// A plugin worker's side of plugin logs: the stdout and stderr of client and playground
// runtimes become lines, tagged with the plugin (the chain step) that printed them, and go to
// the main thread in batches, where each client's ring buffer lives (log-book.ts). The worker
// holds at most one batch and one partial line; past a job's caps lines are counted, not kept,
// so a plugin printing in a loop costs the worker a scan of its bytes and nothing more (its
// fuel already pays for every byte: kernel/fuel.ts, stdoutPerByte).
//
// Lines reach the capture when the runtime flushes its output buffer (kernel/stdout.ts: when
// 8 KiB are buffered, at exit/abort/assert, and here after every chain step), so a step's
// output is attributed to that step.

import type { ByteSink } from "../kernel/index.ts";
import { LOG_LIMITS } from "./limits.ts";

export type LogStream = "stdout" | "stderr";

/** One line as it crosses threads; the main thread adds the client, request and sequence. */
export interface CapturedLine {
  /** Epoch milliseconds when the line was flushed. */
  time: number;
  plugin: string;
  stream: LogStream;
  text: string;
  /** The line was longer than LOG_LIMITS.lineBytes and was cut there. */
  truncated?: true;
}

/** What a worker posts: lines of the running job, and how many it dropped over its caps. */
export interface LogBatch {
  lines: CapturedLine[];
  dropped: number;
}

interface PartialLine {
  bytes: Uint8Array;
  length: number;
  /** Bytes of the line past lineBytes (not kept). */
  cut: boolean;
}

const decoder = new TextDecoder("utf-8");

/**
 * The capture of one worker (a worker runs one job at a time). `begin` opens a job, `step`
 * names the plugin whose output follows, `end` sends what is left. Output outside a job
 * (a runtime being built, linked or destroyed) is discarded.
 */
export class LogCapture {
  private active = false;
  private plugin = "";
  private batch: CapturedLine[] = [];
  private batchBytes = 0;
  private dropped = 0;
  /** Lines and bytes this job has kept so far (its caps). */
  private jobLines = 0;
  private jobBytes = 0;
  private readonly partial: Record<LogStream, PartialLine> = {
    stdout: { bytes: new Uint8Array(LOG_LIMITS.lineBytes), length: 0, cut: false },
    stderr: { bytes: new Uint8Array(LOG_LIMITS.lineBytes), length: 0, cut: false },
  };
  /** The sinks a runtime's output goes to (RuntimeOptions.stdout / stderr). */
  readonly stdout: ByteSink = (bytes) => this.write("stdout", bytes);
  readonly stderr: ByteSink = (bytes) => this.write("stderr", bytes);

  constructor(private readonly post: (batch: LogBatch) => void) {}

  begin(plugin: string): void {
    this.active = true;
    this.plugin = plugin;
    this.jobLines = 0;
    this.jobBytes = 0;
  }

  /** The plugin whose output follows; what is still partial belongs to the one before. */
  step(plugin: string): void {
    this.endLines();
    this.plugin = plugin;
  }

  /** Ends the job: partial lines become lines, and the last batch is sent. */
  end(): void {
    if (!this.active) return;
    this.endLines();
    this.send();
    this.active = false;
  }

  private write(stream: LogStream, bytes: Uint8Array): void {
    if (!this.active) return;
    let from = 0;
    while (from < bytes.length) {
      if (this.full()) {
        this.skip(stream, bytes, from);
        return;
      }
      const nl = bytes.indexOf(10, from);
      this.append(stream, bytes, from, nl < 0 ? bytes.length : nl);
      if (nl < 0) return;
      this.line(stream);
      from = nl + 1;
    }
  }

  /** Over the job's caps lines are only counted: one scan of the bytes, nothing kept. */
  private skip(stream: LogStream, bytes: Uint8Array, from: number): void {
    const last = bytes.lastIndexOf(10);
    if (last < from) {
      this.append(stream, bytes, from, bytes.length);
      return;
    }
    this.dropped += countNewlines(bytes, from); // each ends a line, the partial one included
    const p = this.partial[stream];
    p.length = 0;
    p.cut = false;
    this.append(stream, bytes, last + 1, bytes.length);
  }

  private full(): boolean {
    return this.jobLines >= LOG_LIMITS.jobLines || this.jobBytes >= LOG_LIMITS.jobBytes;
  }

  private append(stream: LogStream, bytes: Uint8Array, from: number, to: number): void {
    const p = this.partial[stream];
    const room = p.bytes.length - p.length;
    const n = Math.min(room, to - from);
    if (n > 0) p.bytes.set(bytes.subarray(from, from + n), p.length);
    p.length += n;
    if (to - from > n) p.cut = true;
  }

  /** The partial line of `stream` is complete. */
  private line(stream: LogStream): void {
    const p = this.partial[stream];
    const length = p.length;
    const cut = p.cut;
    p.length = 0;
    p.cut = false;
    if (this.full()) {
      this.dropped++;
      return;
    }
    const text = decoder.decode(p.bytes.subarray(0, length));
    const line: CapturedLine = { time: Date.now(), plugin: this.plugin, stream, text };
    if (cut) line.truncated = true;
    this.batch.push(line);
    this.jobLines++;
    this.jobBytes += length;
    this.batchBytes += length;
    if (this.batch.length >= LOG_LIMITS.batchLines || this.batchBytes >= LOG_LIMITS.batchBytes)
      this.send();
  }

  /** Partial lines (output without a final newline) end with their step. */
  private endLines(): void {
    for (const stream of ["stdout", "stderr"] as const) {
      const p = this.partial[stream];
      if (p.length > 0 || p.cut) this.line(stream);
    }
  }

  private send(): void {
    if (this.batch.length === 0 && this.dropped === 0) return;
    const batch = { lines: this.batch, dropped: this.dropped };
    this.batch = [];
    this.batchBytes = 0;
    this.dropped = 0;
    this.post(batch);
  }
}

function countNewlines(bytes: Uint8Array, from: number): number {
  let n = 0;
  for (let i = bytes.indexOf(10, from); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}
