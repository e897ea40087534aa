// Where a plugin worker's results go: a transcode output into the lane's lent output buffer
// when it fits (else a fresh buffer), and the buffers of a message result that can be
// transferred rather than copied.

import { detached } from "./plugin-runner.ts";
import { pnmBytes, writePnm } from "./pnm.ts";
import type { JobResult, TranscodeJob, TranscodeOutput } from "./pool-protocol.ts";
import type { RawImage } from "./raw-image.ts";

/**
 * A chain's result as the job asked for it; for a lane job, in `slab` (the lane's output
 * buffer) if it fits.
 */
export function transcodeOutput(
  r: RawImage,
  output: TranscodeJob["output"],
  slab: Uint8Array | undefined,
): TranscodeOutput {
  const header = { width: r.width, height: r.height, channels: r.channels };
  if (output === "pnm") {
    const size = pnmBytes(r);
    // Copies into shared memory are word by word only when source and target are aligned
    // alike (else byte by byte, ~8x slower): the pixels land at the plugin's alignment.
    const pad = (((r.data.byteOffset - (size - r.width * r.channels * r.height)) % 8) + 8) % 8;
    const target =
      slab !== undefined && pad + size <= slab.length ? slab.subarray(pad) : new Uint8Array(size);
    const n = writePnm(r, target);
    return { kind: "pnm", body: target.subarray(0, n), ...header };
  }
  const row = r.width * r.channels;
  if (slab === undefined || row * r.height > slab.length)
    return { kind: "raw", image: detached(r) };
  const data = slab.subarray(0, row * r.height);
  for (let y = 0; y < r.height; y++)
    data.set(r.data.subarray(y * r.stride, y * r.stride + row), y * row);
  return { kind: "raw", image: { ...header, stride: row, data } };
}

/** A copy that owns its whole ArrayBuffer, so it can be transferred. */
export function ownedCopy(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return new Uint8Array(bytes); // a copy, even of a Buffer (whose slice() is a view)
}

/** The output buffers of a result, given up to the main thread. */
export function outputBuffers(result: JobResult<unknown>): ArrayBuffer[] {
  if (!result.ok) return [];
  const v = result.value as { body?: Uint8Array; image?: RawImage; wasm?: Uint8Array };
  const out: ArrayBuffer[] = [];
  for (const bytes of [v.body, v.image?.data, v.wasm]) {
    if (bytes === undefined) continue;
    const buffer = bytes.buffer;
    if (buffer instanceof ArrayBuffer && bytes.byteLength === buffer.byteLength) out.push(buffer);
  }
  return out;
}
