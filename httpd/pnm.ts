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
