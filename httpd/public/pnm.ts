// Binary PPM (P6) and PGM (P5) decoding, so the page can show the bytes the server really sends
// in the paper's formats, which browsers cannot display by themselves.

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, as a canvas wants it. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

export function isPnm(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x50 && (bytes[1] === 0x35 || bytes[1] === 0x36);
}

export function decodePnm(bytes: Uint8Array): Pixels {
  const channels = bytes[1] === 0x36 ? 3 : 1;
  let pos = 2;
  const header: number[] = [];
  while (header.length < 3) {
    // Whitespace and comments separate the header fields.
    while (pos < bytes.length) {
      const c = bytes[pos];
      if (c === 0x23) while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
      else if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) pos++;
      else break;
    }
    let v = 0;
    let digits = 0;
    while (pos < bytes.length && bytes[pos] >= 0x30 && bytes[pos] <= 0x39) {
      v = v * 10 + bytes[pos++] - 0x30;
      digits++;
    }
    if (digits === 0) throw new Error("malformed PNM header");
    header.push(v);
  }
  pos++; // the single whitespace byte before the samples
  const [width, height, maxval] = header;
  if (maxval !== 255) throw new Error(`PNM maxval ${maxval} is not supported`);
  const count = width * height;
  if (bytes.length - pos < count * channels) throw new Error("truncated PNM data");
  const rgba = new Uint8ClampedArray(count * 4);
  for (let i = 0, s = pos, d = 0; i < count; i++, d += 4) {
    if (channels === 3) {
      rgba[d] = bytes[s++];
      rgba[d + 1] = bytes[s++];
      rgba[d + 2] = bytes[s++];
    } else {
      const g = bytes[s++];
      rgba[d] = g;
      rgba[d + 1] = g;
      rgba[d + 2] = g;
    }
    rgba[d + 3] = 255;
  }
  return { width, height, rgba };
}
