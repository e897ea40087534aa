// Test images and parameter cases shared by the plugin tests (native helper and kplug runtime).

import { defaultParams, type ParamName, type PluginParams } from "../../httpd/plugin-abi.ts";
import type { RawImage } from "../../httpd/raw-image.ts";

/** A deterministic image with gradients, edges and noise; `pad` bytes of slack per row. */
export function testImage(width: number, height: number, channels: 1 | 3, pad = 0): RawImage {
  const stride = width * channels + pad;
  const data = new Uint8Array(stride * height);
  let seed = width * 7919 + height * 104729 + channels;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let k = 0; k < channels; k++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const edge = x > width / 3 && y > height / 2 ? 120 : 0;
        const v =
          ((x * 255) / Math.max(1, width - 1)) * (k === 0 ? 1 : 0.5) +
          y * 3 +
          edge +
          ((seed >>> 16) % 40);
        data[y * stride + x * channels + k] = Math.max(0, Math.min(255, Math.round(v))) ^ (k * 37);
      }
  // Padding bytes get a value a plugin must never copy into its output.
  for (let y = 0; y < height; y++) data.fill(0xa5, y * stride + width * channels, (y + 1) * stride);
  return { width, height, channels, stride, data };
}

export function params(
  values: Partial<Record<ParamName, number>>,
  args: number[] = [],
): PluginParams {
  const p = defaultParams();
  Object.assign(p.values, values);
  args.forEach((a, i) => {
    p.args[i] = a;
  });
  return p;
}

/** Each library plugin with the parameter sets it is checked with. */
export const PLUGIN_CASES: Array<[string, Partial<Record<ParamName, number>>]> = [
  ["grayscale", {}],
  ["sepia", {}],
  ["invert", {}],
  ["brightness", { brightness: -30, contrast: 150 }],
  ["brightness", { brightness: 40, contrast: 60 }],
  ["blur", { radius: 1 }],
  ["blur", { radius: 3 }],
  ["sharpen", { amount: 100 }],
  ["sharpen", { amount: 250 }],
  ["sobel", {}],
  ["downscale", { scale: 2 }],
  ["downscale", { scale: 3 }],
  ["downscale", { scale: 64 }],
  ["crop", { x: 3, y: 2, w: 10, h: 0 }],
  ["crop", { x: 0, y: 5, w: 500, h: 4 }],
  ["rotate", { turns: 1 }],
  ["rotate", { turns: 2 }],
  ["rotate", { turns: -1 }],
  ["threshold", { threshold: 100 }],
  ["dither", { levels: 2 }],
  ["dither", { levels: 5 }],
];

/** Pixel-by-pixel comparison; returns a message naming the first difference, or undefined. */
export function firstDifference(actual: RawImage, expected: RawImage): string | undefined {
  if (
    actual.width !== expected.width ||
    actual.height !== expected.height ||
    actual.channels !== expected.channels
  ) {
    return `shape ${actual.width}x${actual.height}x${actual.channels}, expected ${expected.width}x${expected.height}x${expected.channels}`;
  }
  for (let y = 0; y < actual.height; y++)
    for (let x = 0; x < actual.width * actual.channels; x++) {
      const a = actual.data[y * actual.stride + x];
      const e = expected.data[y * expected.stride + x];
      if (a !== e)
        return `sample (${Math.floor(x / actual.channels)}, ${y}) channel ${x % actual.channels}: ${a}, expected ${e}`;
    }
  return undefined;
}

/** A client plugin 'mine' that inverts every sample in place. */
export const INVERT_SOURCE = `#include "kplug/image.h"
int mine_transform(const image *in, image *out, const params *p) {
  (void)p;
  int row = in->width * in->channels;
  for (int y = 0; y < in->height; y++) {
    uint8_t *s = in->pixels + y * in->stride;
    for (int i = 0; i < row; i++) s[i] = (uint8_t)(255 - s[i]);
  }
  *out = *in;
  return IMAGE_OK;
}
`;
