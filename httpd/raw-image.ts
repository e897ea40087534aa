// Decoded pixels as the server passes them around (between codecs, plugin chains and the
// playground page), with the size bounds every decoder enforces. Browser-safe: no Node imports.

export interface RawImage {
  width: number;
  height: number;
  /** 1 = gray, 3 = RGB. Alpha is flattened away on decode. */
  channels: 1 | 3;
  /** Bytes from one row to the next (>= width * channels). */
  stride: number;
  data: Uint8Array;
}

export interface PixelLimits {
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
}

export class ImageDecodeError extends Error {
  constructor(
    message: string,
    readonly code: "bad-image" | "too-large" = "bad-image",
  ) {
    super(message);
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
