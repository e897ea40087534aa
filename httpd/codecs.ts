// Image codecs: the paper's PPM/PGM (binary P6/P5, parsed in pnm.ts and written here, zero-copy
// where the layout allows) and PNG/JPEG/WebP through sharp. Everything in between is a RawImage
// (raw-image.ts): 8-bit samples, 1 (gray) or 3 (RGB) channels, rows `stride` bytes apart.

import type { Metadata } from "sharp";
import { type ImageFormat, isPnmFormat } from "./image-format.ts";
import { isPnm, parsePnm, pnmBytes, writePnm } from "./pnm.ts";
import { checkDimensions, ImageDecodeError, type PixelLimits, type RawImage } from "./raw-image.ts";
import { loadSharp } from "./sharp.ts";

/** Writes a P6 (RGB) or P5 (gray) file, repacking rows if the image has padding. */
export function encodePnm(image: RawImage): Buffer {
  const out = Buffer.allocUnsafe(pnmBytes(image));
  writePnm(image, out);
  return out;
}

/** Tightly packed copy of the pixels (sharp wants rows without padding). */
export function packed(image: RawImage): Uint8Array {
  const row = image.width * image.channels;
  if (image.stride === row) return image.data.subarray(0, row * image.height);
  const out = new Uint8Array(row * image.height);
  for (let y = 0; y < image.height; y++) {
    out.set(image.data.subarray(y * image.stride, y * image.stride + row), y * row);
  }
  return out;
}

/**
 * Decodes any supported file. Compressed formats are checked against the limits from their
 * header (sharp metadata) before a single pixel is decoded, so a decompression bomb costs
 * nothing; sharp's own `limitInputPixels` is a second fence.
 */
export async function decodeImage(bytes: Uint8Array, limits: PixelLimits): Promise<RawImage> {
  if (isPnm(bytes)) return parsePnm(bytes, limits);
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    // Only the header is read here; the size check below gives the precise error.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ImageDecodeError(`cannot read image: ${(e as Error).message}`);
  }
  checkDimensions(meta.width ?? 0, meta.height ?? 0, limits);
  try {
    const gray = meta.channels !== undefined && meta.channels <= 2 && meta.space === "b-w";
    let pipeline = sharp(bytes, { limitInputPixels: limits.maxPixels }).flatten({
      background: "#ffffff",
    });
    pipeline = gray ? pipeline.toColourspace("b-w") : pipeline.toColourspace("srgb");
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const channels = info.channels === 1 ? 1 : 3;
    if (info.channels !== channels) throw new Error(`unexpected ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      channels,
      stride: info.width * channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (e) {
    throw new ImageDecodeError(`cannot decode image: ${(e as Error).message}`);
  }
}

export interface EncodeOptions {
  /** JPEG/WebP quality 1..100. */
  quality?: number;
}

/** Encodes to the requested format; `ppm` of a gray image becomes PGM (and vice versa). */
export async function encodeImage(
  image: RawImage,
  format: ImageFormat,
  options: EncodeOptions = {},
): Promise<{ body: Buffer; format: ImageFormat }> {
  if (isPnmFormat(format)) {
    return { body: encodePnm(image), format: image.channels === 3 ? "ppm" : "pgm" };
  }
  const sharp = await loadSharp();
  const input = sharp(packed(image), {
    raw: { width: image.width, height: image.height, channels: image.channels },
  });
  const quality = options.quality ?? 85;
  let body: Buffer;
  switch (format) {
    case "png":
      body = await input.png({ compressionLevel: 6 }).toBuffer();
      break;
    case "jpeg":
      body = await input.jpeg({ quality }).toBuffer();
      break;
    case "webp":
      body = await input.webp({ quality }).toBuffer();
      break;
  }
  return { body, format };
}
