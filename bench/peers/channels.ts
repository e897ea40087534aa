// Host ends of the out-of-line peers: a worker thread and a child process, each able to sum
// integer arguments (an "upcall") and to convert an image to gray.

import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { Worker } from "node:worker_threads";

const REQUEST = 1;
const RESPONSE = 2;
const EXIT = 3;

export class WorkerPeer {
  private readonly shared = new Int32Array(new SharedArrayBuffer(16 * 4));
  private readonly worker: Worker;
  private serving: Promise<void> | undefined;

  constructor() {
    this.worker = new Worker(new URL("./worker.mjs", import.meta.url), {
      workerData: { shared: this.shared.buffer },
    });
  }

  /** Switches the worker into its Atomics loop (it stops serving messages until stopUpcalls). */
  startUpcalls(): void {
    this.serving = new Promise((resolve) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== "upcalls-done") return;
        this.worker.off("message", onMessage);
        resolve();
      };
      this.worker.on("message", onMessage);
    });
    Atomics.store(this.shared, 0, 0);
    this.worker.postMessage({ type: "upcalls" });
  }

  /** One blocking round trip: arguments in shared memory, Atomics.notify, Atomics.wait. */
  upcall(args: readonly number[]): number {
    const s = this.shared;
    s[1] = args.length;
    for (let i = 0; i < args.length; i++) s[2 + i] = args[i];
    Atomics.store(s, 0, REQUEST);
    Atomics.notify(s, 0);
    while (Atomics.load(s, 0) !== RESPONSE) Atomics.wait(s, 0, REQUEST);
    return s[8];
  }

  async stopUpcalls(): Promise<void> {
    Atomics.store(this.shared, 0, EXIT);
    Atomics.notify(this.shared, 0);
    await this.serving;
  }

  /** The image is structured-cloned in (a copy); the gray result is transferred back. */
  grayscale(rgb: Uint8Array, width: number, height: number): Promise<Uint8Array> {
    return new Promise((resolve) => {
      const onMessage = (m: { type: string; gray: Uint8Array }) => {
        if (m.type !== "gray") return;
        this.worker.off("message", onMessage);
        resolve(m.gray);
      };
      this.worker.on("message", onMessage);
      this.worker.postMessage({ type: "grayscale", rgb, width, height });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export class ChildPeer {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private pending: Buffer = Buffer.alloc(0);
  private waiting: ((payload: Buffer) => void) | undefined;

  constructor() {
    const script = new URL("./child.mjs", import.meta.url).pathname;
    this.child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "inherit"] });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      if (this.pending.length < 4) return;
      const length = this.pending.readUInt32LE(0);
      if (this.pending.length < 4 + length) return;
      const payload = this.pending.subarray(4, 4 + length);
      this.pending = this.pending.subarray(4 + length);
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.(payload);
    });
  }

  private request(kind: number, payload: Uint8Array): Promise<Buffer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      const header = Buffer.alloc(8);
      header.writeUInt32LE(kind, 0);
      header.writeUInt32LE(payload.length, 4);
      this.child.stdin.write(header);
      this.child.stdin.write(payload);
    });
  }

  async upcall(args: Int32Array): Promise<number> {
    const reply = await this.request(
      1,
      new Uint8Array(args.buffer, args.byteOffset, args.byteLength),
    );
    return reply.readInt32LE(0);
  }

  grayscale(frame: Uint8Array): Promise<Buffer> {
    return this.request(2, frame);
  }

  /** A request frame for grayscale: width, height, RGB bytes. */
  static grayscaleFrame(rgb: Uint8Array, width: number, height: number): Uint8Array {
    const frame = Buffer.alloc(8 + rgb.length);
    frame.writeUInt32LE(width, 0);
    frame.writeUInt32LE(height, 4);
    frame.set(rgb, 8);
    return frame;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.stdin.end();
    });
  }
}
