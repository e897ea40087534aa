// Trusted transforms written in JS and run directly in the server's plugin workers (where
// plugins run, so the comparison is like with like): the paper's "unprotected kernel function"
// baseline. No isolation, no fuel, no copy into a plugin's memory; a bug here takes the worker
// down, which is the point of the comparison.

import type { RawImage } from "./raw-image.ts";

/** 24-bit RGB to 8-bit gray with the grayscale plugin's integer BT.601 weights. */
export function grayscaleJs(image: RawImage): RawImage {
  const { width, height, stride, data } = image;
  if (image.channels === 1) return image;
  const out = new Uint8Array(width * height);
  let q = 0;
  for (let y = 0; y < height; y++) {
    let p = y * stride;
    const end = p + width * 3;
    while (p < end) {
      out[q++] = (77 * data[p] + 150 * data[p + 1] + 29 * data[p + 2] + 128) >> 8;
      p += 3;
    }
  }
  return { width, height, channels: 1, stride: width, data: out };
}

export const JS_TRANSFORMS: Record<string, (image: RawImage) => RawImage> = {
  grayscale: grayscaleJs,
};
