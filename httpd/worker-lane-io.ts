// A plugin worker's side of its lane (pool-lane.ts): the transcode job the main thread wrote
// into shared memory, its pixels (a shared buffer named by id, or posted for this job), its
// output into the output slab the job names, and its result back into the lane.

import type { PluginWorker, Reply } from "./plugin-worker.ts";
import { type LaneRequest, type LaneResponse, type LaneViews, Word } from "./pool-lane.ts";
import type { FromWorker, JobResult, TranscodeJob, TranscodeOutput } from "./pool-protocol.ts";
import { describe } from "./worker-job-errors.ts";
import { outputBuffers } from "./worker-output.ts";

export class WorkerLane {
  /** The worker that runs the jobs (set once it is initialised). */
  worker: PluginWorker | undefined;
  /** Shared pixel buffers (and output slabs) the pool gave this worker, by id. */
  readonly buffers = new Map<number, SharedArrayBuffer>();
  /** Pixels posted (transferred) for a lane job. */
  posted: { seq: number; data: Uint8Array } | undefined;
  /** The output slab of the lane job running, if it has one. */
  private slab: Uint8Array | undefined;

  constructor(
    private readonly lane: LaneViews,
    private readonly post: (message: FromWorker, transfer: ArrayBuffer[]) => void,
  ) {}

  /** Runs the lane job `seq`: its input named in the request, its result into the lane. */
  run(seq: number): void {
    let request: LaneRequest;
    try {
      request = JSON.parse(this.lane.read("request")) as LaneRequest;
    } catch (e) {
      this.reply(seq, -1)({ ok: false, error: describe(e, []), fuelUsed: 0, ms: 0 });
      return;
    }
    const reply = this.reply(seq, request.id);
    try {
      const worker = this.worker;
      if (!worker) throw new Error("job before init");
      const src = request.pixels;
      let data: Uint8Array;
      if ("posted" in src) {
        const posted = this.posted;
        if (posted?.seq !== seq) throw new Error(`the pixels of lane job ${seq} did not arrive`);
        data = posted.data.subarray(src.offset, src.offset + src.length);
        this.posted = undefined;
      } else {
        const buffer = this.buffers.get(src.buffer);
        if (buffer === undefined) throw new Error(`no shared buffer ${src.buffer}`);
        data = new Uint8Array(buffer, src.offset, src.length);
      }
      const slab = request.output < 0 ? undefined : this.buffers.get(request.output);
      this.slab = slab && new Uint8Array(slab);
      const job = request.job as unknown as TranscodeJob;
      worker.onJob(request.id, { ...job, image: { ...job.image, data } }, reply, this.slab);
    } catch (e) {
      reply({ ok: false, error: describe(e, []), fuelUsed: 0, ms: 0 });
    }
  }

  /**
   * The reply of lane job `seq`: the result into the lane, its output already in the lane's
   * output buffer. A result that does not fit (output or text) goes by message, and the lane
   * tells the main thread how much room the output needs.
   */
  private reply(seq: number, id: number): Reply {
    return (result) => {
      const value = result.ok ? (result.value as TranscodeOutput) : undefined;
      const out = value?.kind === "pnm" ? value.body : value?.image.data;
      let response: LaneResponse | undefined;
      const inSlab = out !== undefined && out.buffer === this.slab?.buffer;
      if (out === undefined || inSlab) {
        const bare =
          value === undefined
            ? result
            : {
                ...result,
                value:
                  value.kind === "pnm"
                    ? { ...value, body: undefined }
                    : { ...value, image: { ...value.image, data: undefined } },
              };
        response = {
          seq,
          result: bare as LaneResponse["result"],
          outputOffset: out?.byteOffset ?? 0,
          outputBytes: out?.length ?? 0,
          logs: this.worker?.logBatches(id) ?? 0,
        };
        if (this.lane.write("result", JSON.stringify(response))) return this.done(seq);
      }
      // By message: an output in the slab is copied (the slab is not this result's to keep).
      let sent = result;
      if (value !== undefined && out !== undefined && inSlab) {
        sent = {
          ...result,
          value:
            value.kind === "pnm"
              ? { ...value, body: out.slice() }
              : { ...value, image: { ...value.image, data: out.slice() } },
        } as JobResult<unknown>;
      }
      this.post({ type: "result", id, result: sent }, outputBuffers(sent));
      // The result message follows the job's log messages on the same port: no count needed.
      const byMessage: LaneResponse = {
        seq,
        result: {},
        outputOffset: 0,
        outputBytes: 0,
        logs: 0,
        posted: { need: 8 + (out?.length ?? 0) },
      };
      this.lane.write("result", JSON.stringify(byMessage));
      this.done(seq);
    };
  }

  /** Tells the main thread that lane job `seq` is done. */
  private done(seq: number): void {
    Atomics.store(this.lane.ctl, Word.Done, seq);
    Atomics.notify(this.lane.ctl, Word.Done);
  }
}
