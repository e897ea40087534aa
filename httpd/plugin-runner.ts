// Runs a chain of image plugins inside one runtime, following the ABI in plugin-abi.ts: the
// input is copied once into the runtime's memory; each step's output descriptor becomes the
// next step's input in place (no copies between steps); the final image is handed to the
// caller as a view of plugin memory, valid only during the callback, and every block the chain
// produced is freed afterwards, whatever happened.

import type { Runtime } from "../kernel/runtime.ts";
import type { RawImage } from "./codecs.ts";
import {
  checkOutput,
  entrySymbol,
  IMAGE_STRUCT,
  type ImageDescriptor,
  PARAMS_STRUCT_SIZE,
  type PluginParams,
  readImageStruct,
  TRANSFORM_ERRORS,
  writeImageStruct,
  writeParams,
} from "./plugin-abi.ts";

/** A plugin returned an IMAGE_E* code: the request was wrong for it, not the plugin. */
export class TransformRejected extends Error {
  constructor(
    readonly plugin: string,
    readonly code: number,
  ) {
    super(`plugin '${plugin}': ${TRANSFORM_ERRORS[code] ?? `failed with code ${code}`}`);
  }
}

/** A plugin produced an output descriptor the host cannot use (a plugin bug). */
export class BadPluginOutput extends Error {
  constructor(
    readonly plugin: string,
    reason: string,
  ) {
    super(`plugin '${plugin}' produced an unusable image: ${reason}`);
  }
}

/** The input does not fit in the runtime's memory. */
export class RuntimeMemoryExhausted extends Error {}

type Entry = (inPtr: number, outPtr: number, paramsPtr: number) => number;

interface Block {
  ptr: number;
  end: number;
}

export function runChain<T>(
  runtime: Runtime,
  steps: readonly string[],
  image: RawImage,
  params: PluginParams,
  consume: (result: RawImage) => T,
): T {
  // Resolve every step first: an unknown plugin fails before any work.
  const entries = steps.map((s) => runtime.lookup(entrySymbol(s)) as Entry);
  const row = image.width * image.channels;
  const blocks: Block[] = [];
  let structs = 0;
  try {
    let pixels: number;
    try {
      structs = runtime.alloc(2 * IMAGE_STRUCT.size + PARAMS_STRUCT_SIZE).ptr;
      pixels = runtime.alloc(row * image.height).ptr;
    } catch (e) {
      if (e instanceof RangeError) {
        throw new RuntimeMemoryExhausted(
          `image ${image.width}x${image.height} does not fit in runtime '${runtime.name}'`,
        );
      }
      throw e;
    }
    blocks.push({ ptr: pixels, end: pixels + row * image.height });
    const inPtr = structs;
    const outPtr = structs + IMAGE_STRUCT.size;
    const paramsPtr = structs + 2 * IMAGE_STRUCT.size;

    let u8 = runtime.view();
    if (image.stride === row) {
      u8.set(image.data.subarray(0, row * image.height), pixels);
    } else {
      for (let y = 0; y < image.height; y++) {
        u8.set(image.data.subarray(y * image.stride, y * image.stride + row), pixels + y * row);
      }
    }
    let current: ImageDescriptor = {
      width: image.width,
      height: image.height,
      channels: image.channels,
      stride: row,
      pixels,
    };
    for (let i = 0; i < steps.length; i++) {
      // Rewrite everything before each step: a plugin may have scribbled on its inputs.
      let dv = runtime.dataView();
      writeParams(dv, paramsPtr, params);
      writeImageStruct(dv, inPtr, current);
      writeImageStruct(dv, outPtr, { width: 0, height: 0, channels: 0, stride: 0, pixels: 0 });
      const rc = entries[i](inPtr, outPtr, paramsPtr);
      if (rc !== 0) throw new TransformRejected(steps[i], rc);
      dv = runtime.dataView();
      const out = readImageStruct(dv, outPtr);
      const problem = checkOutput(out, dv.byteLength);
      if (problem) throw new BadPluginOutput(steps[i], problem);
      // Output outside every known block came from image_alloc: the chain owns it now.
      if (!blocks.some((b) => out.pixels >= b.ptr && out.pixels < b.end)) {
        blocks.push({ ptr: out.pixels, end: out.pixels + out.stride * out.height });
      }
      current = out;
    }
    u8 = runtime.view();
    return consume({
      width: current.width,
      height: current.height,
      channels: current.channels as 1 | 3,
      stride: current.stride,
      data: u8.subarray(current.pixels, current.pixels + current.stride * current.height),
    });
  } finally {
    for (const b of blocks) safeFree(runtime, b.ptr);
    if (structs) safeFree(runtime, structs);
  }
}

function safeFree(runtime: Runtime, ptr: number): void {
  try {
    runtime.free(ptr);
  } catch {
    // The plugin already freed it (or handed back a pointer that is not a block): nothing to do.
  }
}

/** A copy of an image that outlives the plugin memory it was read from (rows packed). */
export function detached(image: RawImage): RawImage {
  const row = image.width * image.channels;
  const data = new Uint8Array(row * image.height);
  for (let y = 0; y < image.height; y++) {
    data.set(image.data.subarray(y * image.stride, y * image.stride + row), y * row);
  }
  return { ...image, stride: row, data };
}
