// The paper's image formats, binary PPM (P6) and PGM (P5) with maxval 255: the one parser, used
// by the server's codecs and bundled into the playground page (browsers cannot show PNM).
// Browser-safe: no Node imports.

import { checkDimensions, ImageDecodeError, type PixelLimits, type RawImage } from "./raw-image.ts";

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);

export function isPnm(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x50 && (bytes[1] === 0x36 || bytes[1] === 0x35);
}

/** Parses a binary PPM (P6) or PGM (P5) with maxval 255; the pixels are a view of `bytes`. */
export function parsePnm(bytes: Uint8Array, limits: PixelLimits): RawImage {
  if (bytes.length < 2 || bytes[0] !== 0x50 || (bytes[1] !== 0x36 && bytes[1] !== 0x35)) {
    throw new ImageDecodeError("not a binary PPM/PGM (P6/P5) file");
  }
  const channels = bytes[1] === 0x36 ? 3 : 1;
  let pos = 2;
  const fields: number[] = [];
  while (fields.length < 3) {
    // Whitespace and comments between header fields.
    while (pos < bytes.length) {
      const c = bytes[pos];
      if (WHITESPACE.has(c)) pos++;
      else if (c === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
      } else break;
    }
    let value = 0;
    let digits = 0;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) {
      value = value * 10 + (bytes[pos] - 0x30);
      if (++digits > 9) throw new ImageDecodeError("PNM header number too long");
      pos++;
    }
    if (digits === 0) throw new ImageDecodeError("malformed PNM header");
    fields.push(value);
  }
  // Exactly one whitespace byte separates the header from the raster.
  if (pos >= bytes.length || !WHITESPACE.has(bytes[pos])) {
    throw new ImageDecodeError("malformed PNM header");
  }
  pos++;
  const [width, height, maxval] = fields;
  if (maxval !== 255) throw new ImageDecodeError(`unsupported PNM maxval ${maxval} (want 255)`);
  checkDimensions(width, height, limits);
  const size = width * height * channels;
  if (bytes.length - pos < size) throw new ImageDecodeError("truncated PNM raster");
  return {
    width,
    height,
    channels,
    stride: width * channels,
    data: bytes.subarray(pos, pos + size),
  };
}

/** The P6 (RGB) or P5 (gray) header of an image. */
export function pnmHeader(width: number, height: number, channels: 1 | 3): string {
  return `P${channels === 3 ? 6 : 5}\n${width} ${height}\n255\n`;
}

/** Bytes of an image's PNM file. */
export function pnmBytes(image: RawImage): number {
  return (
    pnmHeader(image.width, image.height, image.channels).length +
    image.width * image.channels * image.height
  );
}

/**
 * Writes an image as a PNM file into `target` (rows repacked if the image has padding) and
 * returns the bytes written, or -1 (nothing written) if it does not fit.
 */
export function writePnm(image: RawImage, target: Uint8Array): number {
  const { width, height, channels, stride, data } = image;
  const header = pnmHeader(width, height, channels);
  const row = width * channels;
  const total = header.length + row * height;
  if (total > target.length) return -1;
  // The header is ASCII: a character is a byte.
  for (let i = 0; i < header.length; i++) target[i] = header.charCodeAt(i);
  if (stride === row) {
    target.set(data.subarray(0, row * height), header.length);
  } else {
    for (let y = 0; y < height; y++) {
      target.set(data.subarray(y * stride, y * stride + row), header.length + y * row);
    }
  }
  return total;
}
