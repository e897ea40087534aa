// Image codecs: the paper's PPM/PGM (binary P6/P5, parsed and written here, zero-copy where the
// layout allows) and PNG/JPEG/WebP through sharp. Everything in between is a RawImage: 8-bit
// samples, 1 (gray) or 3 (RGB) channels, rows `stride` bytes apart.

import sharp, { type Metadata } from "sharp";

export interface RawImage {
  width: number;
  height: number;
  /** 1 = gray, 3 = RGB. Alpha is flattened away on decode. */
  channels: 1 | 3;
  /** Bytes from one row to the next (>= width * channels). */
  stride: number;
  data: Uint8Array;
}

export type ImageFormat = "ppm" | "pgm" | "png" | "jpeg" | "webp";

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  ppm: "image/x-portable-pixmap",
  pgm: "image/x-portable-graymap",
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

export class ImageDecodeError extends Error {
  constructor(
    message: string,
    readonly code: "bad-image" | "too-large" = "bad-image",
  ) {
    super(message);
  }
}

export interface PixelLimits {
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
}

export function formatFromName(name: string): ImageFormat | undefined {
  const dot = name.lastIndexOf(".");
  const ext = name.slice(dot + 1).toLowerCase();
  switch (ext) {
    case "ppm":
    case "pgm":
    case "png":
    case "webp":
      return ext;
    case "jpg":
    case "jpeg":
      return "jpeg";
    default:
      return undefined;
  }
}

export function checkDimensions(width: number, height: number, limits: PixelLimits): void {
  if (width < 1 || height < 1) throw new ImageDecodeError(`empty image ${width}x${height}`);
  if (width > limits.maxWidth || height > limits.maxHeight || width * height > limits.maxPixels) {
    throw new ImageDecodeError(
      `image ${width}x${height} exceeds the limits (${limits.maxWidth}x${limits.maxHeight}, ` +
        `${limits.maxPixels} pixels)`,
      "too-large",
    );
  }
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);

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

/** Writes a P6 (RGB) or P5 (gray) file, repacking rows if the image has padding. */
export function encodePnm(image: RawImage): Buffer {
  const { width, height, channels, stride, data } = image;
  const header = `P${channels === 3 ? 6 : 5}\n${width} ${height}\n255\n`;
  const row = width * channels;
  // The header is ASCII: its length in bytes is its length in characters.
  const out = Buffer.allocUnsafe(header.length + row * height);
  out.write(header, 0, "latin1");
  if (stride === row) {
    out.set(data.subarray(0, row * height), header.length);
  } else {
    for (let y = 0; y < height; y++) {
      out.set(data.subarray(y * stride, y * stride + row), header.length + y * row);
    }
  }
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

export function isPnm(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x50 && (bytes[1] === 0x36 || bytes[1] === 0x35);
}

/**
 * Decodes any supported file. Compressed formats are checked against the limits from their
 * header (sharp metadata) before a single pixel is decoded, so a decompression bomb costs
 * nothing; sharp's own `limitInputPixels` is a second fence.
 */
export async function decodeImage(bytes: Uint8Array, limits: PixelLimits): Promise<RawImage> {
  if (isPnm(bytes)) return parsePnm(bytes, limits);
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
  if (format === "ppm" || format === "pgm") {
    return { body: encodePnm(image), format: image.channels === 3 ? "ppm" : "pgm" };
  }
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
