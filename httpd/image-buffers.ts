// Pixel buffers for image_alloc(), kept per runtime between chains. The header's image_alloc
// asks the host (`image_buffer`) instead of malloc: the host hands back a block the last chain
// produced, if one fits, so a steady stream of requests costs no heap work for its outputs
// (malloc + free touch the allocator's maps, several µs per request with cold caches). Every
// buffer is an ordinary heap block: a plugin may free() it, and then it is simply not kept.

import type { Kernel, Runtime } from "../kernel/index.ts";

export const IMAGE_BUFFER_GROUP = "image";
export const IMAGE_BUFFER_DECLARATION = "void *image_buffer(int bytes)";

/** Kept buffers per runtime, at most this many, holding at most this share of its memory. */
const MAX_SPARES = 4;
const SPARE_SHARE = 1 / 16;

export interface Spare {
  ptr: number;
  size: number;
}

const sparesByRuntime = new WeakMap<Runtime, Spare[]>();

/** The runtime's kept buffers (one array per runtime, for its lifetime). */
export function sparesOf(runtime: Runtime): Spare[] {
  let spares = sparesByRuntime.get(runtime);
  if (spares === undefined) {
    spares = [];
    sparesByRuntime.set(runtime, spares);
  }
  return spares;
}

/** Publishes `image_buffer` in the kernel (group "image"); runtimes must allow the group. */
export function installImageBuffers(kernel: Kernel): void {
  kernel.exportFactory(
    "image_buffer",
    IMAGE_BUFFER_DECLARATION,
    (runtime) => {
      const spares = sparesOf(runtime);
      return (bytes: number) => takeFrom(runtime, spares, bytes);
    },
    { group: IMAGE_BUFFER_GROUP },
  );
}

/** A block of at least `bytes` (a kept one if it fits without wasting half), or 0. */
function takeFrom(runtime: Runtime, spares: Spare[], bytes: number): number {
  if (!(bytes > 0)) return 0;
  for (let i = 0; i < spares.length; i++) {
    const s = spares[i];
    if (s.size < bytes || s.size > 2 * bytes + 64) continue;
    spares[i] = spares[spares.length - 1];
    spares.pop();
    // Still the block it was when kept (nothing freed it since)? Then it is the caller's.
    if (runtime.heap.blockSize(s.ptr) === s.size) return s.ptr;
    i--;
  }
  return runtime.heap.malloc(bytes);
}

/**
 * Keeps a block a chain is done with for a later image_buffer call; false if it is not kept
 * (not a heap block, too big, no room), and then the caller frees it.
 */
export function keepImageBuffer(runtime: Runtime, spares: Spare[], ptr: number): boolean {
  const size = runtime.heap.blockSize(ptr);
  if (size === undefined) return false;
  let held = size;
  for (const s of spares) held += s.size;
  if (spares.length >= MAX_SPARES || held > runtime.limits.memory * SPARE_SHARE) return false;
  spares.push({ ptr, size });
  return true;
}
