// The messages between the main thread (worker-pool.ts) and a plugin worker (worker-main.ts),
// and the typed outcome of every job. Types and two small helpers only: both sides import it.
//
//   main -> worker                               worker -> main
//   init    {library, cache, limits}   ------>
//                                      <------   ready | init-failed {message}
//   job     {id, job}  (pixels transferred) -->
//                                      <------   need-client {id, client, stamp}   (cache miss)
//   client  {id, spec | null}          ------>
//                                      <------   logs {id, batch}  (0..n, plugin output)
//                                      <------   result {id, result}  (output transferred)
//
// Transcode jobs, the hot path, go through the worker's lane instead (pool-lane.ts: shared
// memory, a bell and Atomics, no message per job); `buffer`, `output` and `pixels` messages
// give the lane the shared buffers and transferred pixels its jobs name. Messages to a worker
// travel on a MessagePort the worker drains when the bell rings; messages from it (a lane job's
// `logs` and `need-client` too) on its parentPort.
//
// A worker runs one job at a time (plugin code is synchronous; a busy worker could not answer
// anyway). Runtimes live in the worker and are rebuilt from a `ClientSpec`: what the server
// persisted about a client (settings and compiled plugins), identified by a `stamp` the server
// changes whenever any of it changes. A job names the client and the stamp it expects; a worker
// that holds another stamp (or nothing) asks for the spec. Workers therefore hold no state the
// server cannot rebuild, and the pool may kill and replace one at any time.
//
// Pixel buffers are transferred, never copied, across the thread boundary: the caller's input
// ArrayBuffer is detached once the job is posted (a SharedArrayBuffer is shared instead), and
// the output comes back in a fresh ArrayBuffer the worker gives up.

import type { Diagnostic } from "../cc/index.ts";
import type { FaultAccess, FaultFrame, FaultKind } from "../kernel/index.ts";
import type { LogBatch } from "./log-capture.ts";
import type { PluginParams } from "./plugin-abi.ts";
import type { RawImage } from "./raw-image.ts";

/** A compiled module as it crosses threads: the wasm carries its own metadata (META_SECTION). */
export interface ModuleSpec {
  name: string;
  wasm: Uint8Array<ArrayBuffer>;
  /** A module from another toolchain: linked with these C declarations (plugin-check.ts). */
  foreignHeader?: string;
}

/** A library module: `version` is the main thread's (cache keys are made there). */
export interface LibraryModuleSpec extends ModuleSpec {
  file: string;
  version: string;
}

/** Everything a worker needs to rebuild a client's runtime. */
export interface ClientSpec {
  id: string;
  /** Changes whenever settings or plugins change (e.g. a counter or a hash of versions). */
  stamp: string;
  settings: { fuel: number; memory: number };
  /** The client's uploads in link order (a module after those it imports). */
  plugins: ModuleSpec[];
}

export interface ClientRef {
  id: string;
  stamp: string;
}

/** Runs a chain of image plugins: in the library runtime, or in the client's. */
export interface TranscodeJob {
  kind: "transcode";
  client?: ClientRef;
  steps: string[];
  /**
   * "js": the trusted JS transforms (js-transforms.ts) instead of plugins, no client: the
   * paper's unprotected baseline, run where plugins run so the two compare like with like.
   */
  engine?: "plugin" | "js";
  params: PluginParams;
  image: RawImage;
  /** "pnm": the result encoded as PPM/PGM straight from plugin memory; "raw" (default): pixels. */
  output?: "pnm" | "raw";
  /** The request's X-Request-Id: its plugins' log lines carry it (the main thread adds it). */
  request?: string;
  /** The job's wall-clock deadline (set by the pool): a fault's replay must fit before it. */
  deadlineMs?: number;
}

/**
 * Compiles a source: as the image plugin `plugin` would be on upload (ABI checked), or plain.
 * With `client`, the module is also linked (as `plugin`, replacing one of that name) into a
 * scratch copy of the client's runtime, so an upload is refused before it is persisted.
 */
export interface CompileJob {
  kind: "compile";
  source: string;
  /** Instead of compiling `source`: a WebAssembly upload, typed by `source` (declarations). */
  wasm?: Uint8Array;
  file?: string;
  plugin?: string;
  client?: ClientRef;
  /** Also print the module as WebAssembly text (the playground's WAT view). */
  wat?: boolean;
}

/** Compiles an unsaved plugin, links it into the client's playground runtime, runs a chain. */
export interface TryJob {
  kind: "try";
  client: ClientRef;
  name: string;
  source: string;
  steps: string[];
  params: PluginParams;
  image: RawImage;
  request?: string;
  /** As TranscodeJob's. */
  deadlineMs?: number;
}

export type Job = TranscodeJob | CompileJob | TryJob;

export interface CompileOutput {
  ok: boolean;
  /** The check that failed (only when !ok): compile, ABI or link. */
  rejected?: "compile-error" | "abi-error" | "link-error";
  message?: string;
  /** Milliseconds the link check took (uploads). */
  linkMs?: number;
  diagnostics: Diagnostic[];
  compileMs: number;
  exports: Array<{ name: string; signature: string }>;
  imports: string[];
  /** The module (transferred), when it compiled. */
  wasm?: Uint8Array<ArrayBuffer>;
  /** With `wat`: the module's text and its [WAT line, source line] links (wat-listing.ts). */
  wat?: string;
  lines?: [number, number][];
}

export interface TryOutput {
  /** Set when the source did not compile, lacks its entry point or does not link (nothing ran). */
  rejected?: {
    error: "compile-error" | "abi-error" | "link-error";
    message: string;
    diagnostics: Diagnostic[];
  };
  image?: RawImage;
  compileMs: number;
  linkMs: number;
  runMs: number;
}

/** A transcode's result: pixels, or the encoded PNM body. */
export type TranscodeOutput =
  | { kind: "raw"; image: RawImage }
  | {
      kind: "pnm";
      body: Uint8Array;
      width: number;
      height: number;
      channels: 1 | 3;
      /**
       * Set when `body` is a view of the worker's output slab (pool-lane.ts): call it once the
       * body is no longer needed (and not before), so the slab serves another job. A body never
       * released comes back when it is garbage collected.
       */
      release?: () => void;
    };

export type JobOutput<J extends Job> = J extends TranscodeJob
  ? TranscodeOutput
  : J extends CompileJob
    ? CompileOutput
    : TryOutput;

export type JobErrorKind =
  /** A trap in plugin code (`fault` says which); counts towards quarantine. */
  | "plugin-fault"
  /** The watchdog killed the worker: the job ran past its wall-clock deadline. A fault too. */
  | "deadline-exceeded"
  /** `exit()` from a plugin in a chain (no image was produced). */
  | "plugin-exit"
  | "quarantined"
  | "unknown-plugin"
  | "transform-rejected"
  | "bad-plugin-output"
  /** The image does not fit in the runtime's memory. */
  | "runtime-memory"
  /** The process cannot create another wasm memory (V8's ~12,700 limit): retry later. */
  | "runtime-capacity"
  | "unknown-client"
  | "module-too-large"
  /** The worker died (crash, out of memory) while running the job. */
  | "worker-crashed"
  /** No worker could be started. */
  | "pool-unavailable"
  | "pool-closed"
  | "internal";

/** A failure, typed and serializable (it crosses threads as data, not as an Error). */
export interface JobError {
  kind: JobErrorKind;
  message: string;
  fault?: FaultKind;
  runtime?: string;
  /** The plugin to blame (for quarantine), when known. */
  plugin?: string;
  function?: string;
  /** plugin-fault: where in the C source (PluginFault's fields). */
  file?: string;
  line?: number;
  col?: number;
  backtrace?: FaultFrame[];
  access?: FaultAccess;
  /** transform-rejected: the IMAGE_E* code; plugin-exit: the exit status. */
  code?: number;
  /** For errors a later retry may not meet (runtime-capacity, pool-unavailable). */
  retryAfterSeconds?: number;
}

/** Counters of one plugin, as a job changed them (the main thread keeps the totals). */
export interface PluginCounts {
  calls: number;
  fuelUsed: number;
  faults: Partial<Record<FaultKind, number>>;
}

/** What a job did to the counters of its runtime's plugins. */
export interface StatsDelta {
  runtime: string;
  /** The runtime's memory size after the job. */
  memoryBytes: number;
  plugins: Record<string, PluginCounts>;
}

interface ResultCommon {
  fuelUsed: number;
  ms: number;
  stats?: StatsDelta;
}

/** A job's outcome. Failures are results too: they used fuel and time the scheduler charges. */
export type JobResult<T> =
  | ({ ok: true; value: T } & ResultCommon)
  | ({ ok: false; error: JobError } & ResultCommon);

export interface CacheLimits {
  /** Resident runtimes per worker (the process-wide wasm memory limit is ~12,700). */
  maxRuntimes: number;
  /** Bytes of wasm memory held by resident runtimes, per worker. */
  maxBytes: number;
  /** Runtimes unused this long are evicted. */
  idleMs: number;
}

export type ToWorker =
  | {
      type: "init";
      library: LibraryModuleSpec[];
      cache: CacheLimits;
      maxModuleBytes: number;
      /** A module whose `setup(kernel)` installs extra kernel exports (ServerOptions.workerSetup). */
      setup?: string;
    }
  | { type: "forget"; client: string }
  | { type: "job"; id: number; job: Job }
  | { type: "client"; id: number; spec: ClientSpec | null }
  /** A shared pixel buffer lane jobs name by `id` (null: the main thread dropped it). */
  | { type: "buffer"; id: number; buffer: SharedArrayBuffer | null }
  /** The input pixels of lane job `seq`, transferred. */
  | { type: "pixels"; seq: number; data: Uint8Array };

export type FromWorker =
  | { type: "ready" }
  | { type: "init-failed"; message: string }
  | { type: "need-client"; id: number; client: string; stamp: string }
  /** Lines the running job's plugins printed (log-capture.ts), before its result. */
  | { type: "logs"; id: number; batch: LogBatch }
  | { type: "result"; id: number; result: JobResult<unknown> };

/** A job failure on the main thread, for `await`-style callers (see `unwrap`). */
export class JobFailed extends Error {
  override name = "JobFailed";
  constructor(readonly error: JobError) {
    super(error.message);
  }
}

/** The value of a successful result; a failure throws JobFailed. */
export function unwrap<T>(result: JobResult<T>): T {
  if (result.ok) return result.value;
  throw new JobFailed(result.error);
}

/**
 * The buffers to transfer for an image, or [] when it must be copied or shared: a
 * SharedArrayBuffer is shared as is, and a view onto part of a larger buffer (Node's Buffer
 * pool, a cache's slab) is not ours to detach.
 */
export function transferablesOf(image: RawImage | undefined): ArrayBuffer[] {
  if (image === undefined) return [];
  const { buffer, byteOffset, byteLength } = image.data;
  if (!(buffer instanceof ArrayBuffer)) return [];
  return byteOffset === 0 && byteLength === buffer.byteLength ? [buffer] : [];
}
