// A plugin worker's lane: the shared memory through which transcode jobs, the pool's hot path,
// reach a worker and come back, without a message per job (issue 10, the worker hop).
//
// Why: a job posted as a message costs a structured clone each way, an event-loop turn in the
// worker and in the main thread, and for its pixels a new ArrayBuffer (or SharedArrayBuffer
// object) on the receiving side, whose external memory drives V8 into extra garbage
// collections; the output is a fresh buffer per job, transferred back. Measured on the 270 KB
// grayscale job, the worker spent more time in postMessage and in allocating the output than
// in the plugin. On the lane:
// - the main thread writes the job (a small JSON text) into the lane and rings its bell
//   (Atomics.add + notify); the worker sleeps in Atomics.wait, not in its event loop;
// - pixels already in a SharedArrayBuffer (the image store decodes into one) are named by a
//   buffer id: each such buffer is posted to a worker once, then read in place;
// - the worker writes the output (the PNM body, or raw pixels) into the output slab the job
//   names (a SharedArrayBuffer, posted once like the pixel buffers) and the result (JSON) into
//   the lane, stores the job's sequence number and notifies; the main thread learns it through
//   Atomics.waitAsync. A PNM body is handed on as a view of the slab, leased: the slab is not
//   used again until the body is released (the server releases it once the response is sent),
//   so the main thread neither allocates nor copies an output. Raw pixels are copied out.
//
// Measured with a pool microbenchmark (270 KB grayscale, PNM out, 1 worker, 5 interleaved runs
// on a shared 2-core machine): CPU per job, both threads, median 164 µs on the lane against
// 244 µs by message (9 KB: 84 against 80, the wake-ups dominate). Copying the body out of the
// lane instead of lending it cost more than the messages (an allocation per job; and copies into
// shared memory run byte by byte unless source and target are aligned alike: see the padding in
// worker-output.ts's transcodeOutput).
// Everything else (init, compile and try jobs, client specs, buffers) still goes by message, on
// a MessagePort the worker drains synchronously (receiveMessageOnPort) whenever the bell rings.
//
// Layout of `shared` (one SharedArrayBuffer per worker): CTL_BYTES of Int32 words, then the
// request text (MSG_BYTES), then the result text (MSG_BYTES).

/** Words of the control block. */
export const Word = {
  /** Bumped by the main thread after anything it sends (a message or a lane job). */
  Bell: 0,
  /** The sequence number of the lane job the main thread wrote last. */
  Job: 1,
  /** The sequence number of the lane job the worker finished last. */
  Done: 2,
  RequestBytes: 3,
  ResultBytes: 4,
  /** The id of the job whose chain the worker is running (any job: lane or message). */
  StepJob: 5,
  /** Which step of that chain runs: its index + 1; 0 before the first step. */
  Step: 6,
} as const;

const CTL_BYTES = 64;
/** Room for a job's or a result's JSON text; a larger job goes by message instead. */
export const MSG_BYTES = 32 * 1024;
/** First size of an output slab (slabs made later have the largest size an output needed). */
export const INITIAL_SLAB_BYTES = 1 << 20;
/** Outputs larger than this go by message (a worker keeps up to MAX_SLABS slabs). */
export const MAX_SLAB_BYTES = 16 << 20;
/** Slabs per worker: outputs leased at once; with none free, an output goes by message. */
export const MAX_SLABS = 8;

export function createLaneMemory(): SharedArrayBuffer {
  return new SharedArrayBuffer(CTL_BYTES + 2 * MSG_BYTES);
}

/** Views of a lane's shared memory (both sides make their own). */
export class LaneViews {
  readonly ctl: Int32Array;
  readonly request: Uint8Array;
  readonly result: Uint8Array;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(shared: SharedArrayBuffer) {
    this.ctl = new Int32Array(shared, 0, CTL_BYTES >> 2);
    this.request = new Uint8Array(shared, CTL_BYTES, MSG_BYTES);
    this.result = new Uint8Array(shared, CTL_BYTES + MSG_BYTES, MSG_BYTES);
  }

  /** Writes a text into `to`; false if it does not fit. */
  write(to: "request" | "result", text: string): boolean {
    const area = to === "request" ? this.request : this.result;
    // encodeInto stops at the end of the area: a text that filled it may have been cut.
    const { read, written } = this.encoder.encodeInto(text, area);
    if (read !== text.length) return false;
    Atomics.store(this.ctl, to === "request" ? Word.RequestBytes : Word.ResultBytes, written);
    return true;
  }

  read(from: "request" | "result"): string {
    const area = from === "request" ? this.request : this.result;
    const n = Atomics.load(this.ctl, from === "request" ? Word.RequestBytes : Word.ResultBytes);
    // TextDecoder does not read SharedArrayBuffer views: one copy of a few hundred bytes.
    return this.decoder.decode(area.slice(0, n));
  }

  /**
   * Worker: job `id` is about to run chain step `index` (-1: its chain has not started). The
   * watchdog reads it (`runningStep`) to blame the step that overran, not the chain's first.
   */
  enterStep(id: number, index: number): void {
    if (index < 0) {
      // Step first: a reader that sees the new job never sees the last job's step.
      Atomics.store(this.ctl, Word.Step, 0);
      Atomics.store(this.ctl, Word.StepJob, id);
    } else Atomics.store(this.ctl, Word.Step, index + 1);
  }

  /** Main thread: the index of the chain step job `id` is running, or undefined if none. */
  runningStep(id: number): number | undefined {
    const job = id | 0; // as an Int32Array word holds it
    if (Atomics.load(this.ctl, Word.StepJob) !== job) return undefined;
    const step = Atomics.load(this.ctl, Word.Step);
    return step > 0 ? step - 1 : undefined;
  }

  /** Main thread: wakes the worker (after a message or a lane job). */
  ring(): void {
    Atomics.add(this.ctl, Word.Bell, 1);
    Atomics.notify(this.ctl, Word.Bell);
  }
}

/** Where a lane job's input pixels are. */
export type PixelSource =
  /** In a SharedArrayBuffer the worker was given under this id. */
  | { buffer: number; offset: number; length: number }
  /** In the ArrayBuffer posted (transferred) with a `pixels` message for this job. */
  | { posted: true; offset: number; length: number };

/** What the main thread writes into the lane for a transcode job. */
export interface LaneRequest {
  seq: number;
  id: number;
  /** The job without its pixels: `image` carries its geometry only. */
  job: Record<string, unknown>;
  pixels: PixelSource;
  /** The id of the slab (a shared buffer) for the output; -1: none free, send it by message. */
  output: number;
}

/** What the worker writes back: the result, its output (if any) in the job's slab. */
export interface LaneResponse {
  seq: number;
  /** The result; a value's body or pixels are in the slab, `outputBytes` at `outputOffset`. */
  result: Record<string, unknown>;
  outputOffset: number;
  outputBytes: number;
  /**
   * Log batches the job posted (by message, on the worker's parentPort): the main thread
   * finishes the job once that many arrived, so none is dropped for arriving after its result.
   */
  logs: number;
  /**
   * The result went by message instead (the output or the result text did not fit); `need` is
   * the output size the main thread should make room for.
   */
  posted?: { need: number };
}
