// Where plugin work runs, behind one small interface: a chain of a client's plugins on an
// image (transcode), a compile check of source (check), a try of unsaved source on an image
// (try), and the compile + link check of an upload (ClientRegistry's PluginBuilder). Handlers only
// build jobs and answer with the results; the server's executor is PoolExecutor
// (pool-executor.ts): a fair scheduler per client in front of a pool of worker threads.
//
// Jobs and results are plain data a worker receives and sends back: ids and names, numbers,
// and pixel buffers; never closures or live runtimes. A job's pixels move to the worker without
// a copy: a SharedArrayBuffer is shared; an ArrayBuffer the image fills is transferred (it is
// detached in the caller), so callers pass images nobody else holds, or shared ones. Failures are the typed errors of
// errors.ts (JobFailed with its kind, a scheduler rejection, PluginRejected for source that
// does not compile or link), thrown by the executor's methods.

import type { Diagnostic } from "../cc/index.ts";
import type { PluginBuilder } from "./clients.ts";
import type { PluginParams } from "./plugin-abi.ts";
import type { RawImage } from "./raw-image.ts";

export interface TranscodeJob {
  /** The client whose runtime runs the chain (its plugins, fuel and memory); undefined: the library's. */
  client: string | undefined;
  /** Image plugin names, in order. */
  steps: string[];
  /** "js": the library's trusted JS transforms (no client), in a worker like plugins. */
  engine?: "plugin" | "js";
  params: PluginParams;
  image: RawImage;
  /** "pnm": give back the result encoded as PPM/PGM (written straight from plugin memory); "raw": as pixels. */
  output: "pnm" | "raw";
  /** The request's X-Request-Id, which the client's log lines carry. */
  request?: string;
}

export type TranscodeOutput =
  | {
      kind: "pnm";
      body: Buffer;
      width: number;
      height: number;
      channels: 1 | 3;
      /**
       * Set when `body` is on loan (a view of the worker's output memory, no copy made): call it
       * once the body was sent and is kept nowhere, so the memory serves another job. A body
       * never released comes back when it is garbage collected; one kept (in a cache) must be
       * copied first.
       */
      release?: () => void;
      /** Milliseconds the job took in its worker (the rest of a transcode is queue and hop). */
      workerMs?: number;
    }
  | { kind: "raw"; image: RawImage; workerMs?: number };

export interface CheckJob {
  /** Who asks: compiling is the client's work (scheduled and rate-limited as its). */
  client: string;
  /** File name diagnostics carry. */
  file: string;
  source: string;
  /**
   * Check it as this plugin's upload would be (the image ABI, and a link into a scratch copy
   * of the client's runtime); `file` is then `<plugin>.c`.
   */
  plugin?: string;
  /** Also return the module as WebAssembly text, linked to the source (`wat`, `lines`). */
  wat?: boolean;
}

/** A compile check's report: the body of POST /compile. */
export interface CheckReport {
  ok: boolean;
  compileMs: number;
  diagnostics: Diagnostic[];
  exports: { name: string; signature: string }[];
  wasmBytes: number;
  /** What stopped a plugin check (`compile-error`, `abi-error`, `link-error`), if anything. */
  rejected?: "compile-error" | "abi-error" | "link-error";
  message?: string;
  /** Milliseconds the link check took (plugin checks that compiled). */
  linkMs?: number;
  wat?: string;
  lines?: [number, number][];
}

export interface TryJob {
  client: string;
  /** The unsaved plugin's name (it must define `<name>_transform`). */
  name: string;
  source: string;
  /** The chain to run, which names the unsaved plugin (maybe among library plugins). */
  steps: string[];
  params: PluginParams;
  image: RawImage;
  request?: string;
}

/** A try that got as far as running (source that does not check throws PluginRejected). */
export interface TryOutcome {
  compileMs: number;
  linkMs: number;
  runMs: number;
  /** Fuel the chain used (a run stopped for fuel counts its whole budget). */
  fuelUsed: number;
  /** The result, or why there is none (a fault, a rejected transform...): thrown by the caller. */
  result: { image: RawImage } | { error: unknown };
}

export interface PluginExecutor extends PluginBuilder {
  transcode(job: TranscodeJob): Promise<TranscodeOutput>;
  check(job: CheckJob): Promise<CheckReport>;
  try(job: TryJob): Promise<TryOutcome>;
  close(): Promise<void>;
}

/** The job names a client that no longer exists (deleted while its request was on the way). */
export class ClientGone extends Error {
  constructor(readonly client: string) {
    super(`no client '${client}'`);
  }
}
