// Binary PPM (P6) and PGM (P5) for the page, so it can show the bytes the server really sends
// in the paper's formats, which browsers cannot display by themselves. The parser is the
// server's own (httpd/pnm.ts, bundled in); this file only turns its pixels into RGBA.

import { parsePnm } from "../pnm.ts";

export { isPnm } from "../pnm.ts";

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, as a canvas wants it. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

/** The page shows what the server sent: the server already bounded its size. */
const ANY_SIZE = { maxWidth: Infinity, maxHeight: Infinity, maxPixels: Infinity };

export function decodePnm(bytes: Uint8Array): Pixels {
  const { width, height, channels, data } = parsePnm(bytes, ANY_SIZE);
  const count = width * height;
  const rgba = new Uint8ClampedArray(count * 4);
  for (let i = 0, s = 0, d = 0; i < count; i++, d += 4) {
    if (channels === 3) {
      rgba[d] = data[s++];
      rgba[d + 1] = data[s++];
      rgba[d + 2] = data[s++];
    } else {
      const g = data[s++];
      rgba[d] = g;
      rgba[d + 1] = g;
      rgba[d + 2] = g;
    }
    rgba[d + 3] = 255;
  }
  return { width, height, rgba };
}
