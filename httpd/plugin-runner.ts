// Runs a chain of image plugins inside one runtime, following the ABI in plugin-abi.ts: the
// input is copied once into the runtime's memory; each step's output descriptor becomes the
// next step's input in place (no copies between steps); the final image is handed to the
// caller as a view of plugin memory, valid only during the callback, and every block the chain
// produced is released afterwards, whatever happened (freed, or kept for the next chain's
// image_alloc: see image-buffers.ts).
//
// The host's own blocks (the descriptors and parameters, and the input pixels up to a size
// bound) are kept per runtime and reused by the next chain: a chain then costs no host
// allocation at all. A chain runs synchronously from start to end, so one set per runtime is
// enough. A plugin that frees a block it was only lent gets it back from no one: the kept
// blocks are checked after every chain and forgotten (never freed twice) if they are gone.

import type { Runtime } from "../kernel/index.ts";
import { UnlinkedSymbolError } from "../kernel/index.ts";
import { keepImageBuffer, type Spare, sparesOf } from "./image-buffers.ts";
import {
  checkOutput,
  entrySymbol,
  IMAGE_STRUCT,
  type ImageDescriptor,
  PARAMS_STRUCT_SIZE,
  type PluginParams,
  paramWords,
  TRANSFORM_ERRORS,
} from "./plugin-abi.ts";
import type { RawImage } from "./raw-image.ts";

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

/** Input buffers up to this share of a runtime's memory limit are kept between chains. */
const KEEP_INPUT_SHARE = 1 / 16;
const STRUCTS_SIZE = 2 * IMAGE_STRUCT.size + PARAMS_STRUCT_SIZE;
const IN_WORD = 0;
const OUT_WORD = IMAGE_STRUCT.size >> 2;
const PARAMS_WORD = (2 * IMAGE_STRUCT.size) >> 2;

/** A host block in a runtime's heap, kept between chains. */
interface Kept {
  ptr: number;
  size: number;
}

interface Scratch {
  structs: Kept | undefined;
  input: Kept | undefined;
  /** Upcall handles by plugin name (handles follow hot swaps; see `entryOf`). */
  entries: Map<string, Entry>;
  /** The runtime's kept image_alloc buffers. */
  spares: Spare[];
}

/** Handles remembered per runtime; past this many (names come and go) the memo starts over. */
const MAX_ENTRIES = 256;

const scratches = new WeakMap<Runtime, Scratch>();

/** The last runtime a chain ran in, and its scratch: most requests use the library's. */
let lastRuntime: Runtime | undefined;
let lastScratch: Scratch | undefined;

function scratchOf(runtime: Runtime): Scratch {
  if (runtime === lastRuntime) return lastScratch!;
  let s = scratches.get(runtime);
  if (s === undefined) {
    s = { structs: undefined, input: undefined, entries: new Map(), spares: sparesOf(runtime) };
    scratches.set(runtime, s);
  }
  lastRuntime = runtime;
  lastScratch = s;
  return s;
}

/**
 * The upcall handle of a plugin's entry point. A lookup costs ~2 µs with cold caches, so
 * handles are remembered: they follow hot swaps and unlinks by themselves. Only a plugin
 * re-linked with another signature gets a new handle (the old one reports it unlinked), which
 * `runStep` notices. A destroyed runtime always goes through lookup, which refuses it.
 */
function entryOf(runtime: Runtime, scratch: Scratch, step: string): Entry {
  let entry = scratch.entries.get(step);
  if (entry === undefined || runtime.isDestroyed) {
    entry = runtime.lookup(entrySymbol(step)) as Entry;
    if (scratch.entries.size >= MAX_ENTRIES) scratch.entries.clear();
    scratch.entries.set(step, entry);
  }
  return entry;
}

/** Calls a step; a remembered handle that went stale is looked up again and called anew. */
function runStep(
  runtime: Runtime,
  scratch: Scratch,
  step: string,
  entry: Entry,
  structs: number,
): number {
  const outPtr = structs + IMAGE_STRUCT.size;
  const paramsPtr = structs + 2 * IMAGE_STRUCT.size;
  try {
    return entry(structs, outPtr, paramsPtr);
  } catch (e) {
    if (!(e instanceof UnlinkedSymbolError)) throw e;
    scratch.entries.delete(step);
    // The unlinked entry throws before any plugin code runs, so calling again is safe.
    const fresh = entryOf(runtime, scratch, step);
    if (fresh === entry) throw e;
    return fresh(structs, outPtr, paramsPtr);
  }
}

/** Is the kept block still a live block covering what the host allocated? */
const intact = (runtime: Runtime, k: Kept | undefined): k is Kept =>
  k !== undefined && (runtime.heap.blockSize(k.ptr) ?? 0) >= k.size;

function allocOrFail(runtime: Runtime, bytes: number, image: RawImage): number {
  try {
    return runtime.alloc(bytes).ptr;
  } catch (e) {
    if (e instanceof RangeError) {
      throw new RuntimeMemoryExhausted(
        `image ${image.width}x${image.height} does not fit in runtime '${runtime.name}'`,
      );
    }
    throw e;
  }
}

/**
 * Runs a chain; `onStep` is told each step's name and index before the step runs (logs:
 * log-capture.ts; the watchdog's blame: pool-lane.ts).
 */
export function runChain<T>(
  runtime: Runtime,
  steps: readonly string[],
  image: RawImage,
  params: PluginParams,
  consume: (result: RawImage) => T,
  onStep?: (step: string, index: number) => void,
): T {
  // Resolve every step first: an unknown plugin fails before any work.
  const scratch = scratchOf(runtime);
  const entries: Entry[] = [];
  for (const s of steps) entries.push(entryOf(runtime, scratch, s));
  const row = image.width * image.channels;
  // Copies out of shared memory (the image store's pixels are in a SharedArrayBuffer) go word
  // by word only when source and target are aligned alike, else byte by byte (~8x slower; it
  // copy of 9 KB: ~0.7 against ~6 µs): the input block has room to place the pixels
  // at the source's alignment.
  const inputBytes = row * image.height + 7;
  /** Blocks this chain owns: image_alloc outputs (kept for reuse or freed), an unkept input. */
  const owned: number[] = [];
  let unkeptInput = 0;
  try {
    // Kept blocks were checked at the end of the last chain, and no plugin code runs in
    // between (httpd calls plugins only here), so they are still the host's.
    if (scratch.structs === undefined) {
      scratch.structs = { ptr: allocOrFail(runtime, STRUCTS_SIZE, image), size: STRUCTS_SIZE };
    }
    let input = scratch.input;
    if (input === undefined || input.size < inputBytes) {
      if (input !== undefined) runtime.free(input.ptr);
      scratch.input = undefined;
      input = { ptr: allocOrFail(runtime, inputBytes, image), size: inputBytes };
      if (inputBytes <= runtime.limits.memory * KEEP_INPUT_SHARE) scratch.input = input;
      else unkeptInput = input.ptr;
    }
    const structs = scratch.structs.ptr;
    const pixels = input.ptr + ((image.data.byteOffset - input.ptr) & 7);

    const views = runtime.views.fresh();
    if (image.stride === row) {
      // A parsed PNM's pixels are exactly the raster: no view of a view to make.
      const bytes = row * image.height;
      const src = image.data.length === bytes ? image.data : image.data.subarray(0, bytes);
      views.u8.set(src, pixels);
    } else {
      for (let y = 0; y < image.height; y++) {
        const from = y * image.stride;
        views.u8.set(image.data.subarray(from, from + row), pixels + y * row);
      }
    }
    const words = paramWords(params);
    const base = structs >> 2;
    let current: ImageDescriptor = {
      width: image.width,
      height: image.height,
      channels: image.channels,
      stride: row,
      pixels,
    };
    for (let i = 0; i < steps.length; i++) {
      // Rewrite everything before each step: a plugin may have scribbled on its inputs.
      let i32 = runtime.views.fresh().i32;
      i32.set(words, base + PARAMS_WORD);
      i32[base + IN_WORD] = current.width;
      i32[base + IN_WORD + 1] = current.height;
      i32[base + IN_WORD + 2] = current.channels;
      i32[base + IN_WORD + 3] = current.stride;
      i32[base + IN_WORD + 4] = current.pixels;
      i32.fill(0, base + OUT_WORD, base + OUT_WORD + 5);
      onStep?.(steps[i], i);
      const rc = runStep(runtime, scratch, steps[i], entries[i], structs);
      if (rc !== 0) throw new TransformRejected(steps[i], rc);
      i32 = runtime.views.fresh().i32;
      const o = base + OUT_WORD; // struct image: width, height, channels, stride, pixels
      const out: ImageDescriptor = {
        width: i32[o],
        height: i32[o + 1],
        channels: i32[o + 2],
        stride: i32[o + 3],
        pixels: i32[o + 4] >>> 0,
      };
      const problem = checkOutput(out, i32.byteLength);
      if (problem) throw new BadPluginOutput(steps[i], problem);
      // Output outside the input and every block so far came from image_alloc: the chain
      // owns it now. (If the plugin freed the input, the output may sit where it was.)
      const inInput = out.pixels >= input.ptr && out.pixels < input.ptr + input.size;
      if (!(inInput && intact(runtime, input)) && !inOwned(runtime, owned, out.pixels)) {
        owned.push(out.pixels);
      }
      current = out;
    }
    const u8 = runtime.views.fresh().u8;
    return consume({
      width: current.width,
      height: current.height,
      channels: current.channels as 1 | 3,
      stride: current.stride,
      data: u8.subarray(current.pixels, current.pixels + current.stride * current.height),
    });
  } finally {
    for (const ptr of owned) {
      if (!keepImageBuffer(runtime, scratch.spares, ptr)) safeFree(runtime, ptr);
    }
    if (unkeptInput) safeFree(runtime, unkeptInput);
    // A plugin may have freed what it was lent; forget such blocks instead of reusing them.
    if (!intact(runtime, scratch.structs)) scratch.structs = undefined;
    if (!intact(runtime, scratch.input)) scratch.input = undefined;
  }
}

/** Does `ptr` lie inside one of the chain's own blocks? */
function inOwned(runtime: Runtime, owned: readonly number[], ptr: number): boolean {
  for (const start of owned) {
    const size = runtime.heap.blockSize(start);
    if (size !== undefined && ptr >= start && ptr < start + size) return true;
  }
  return false;
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
