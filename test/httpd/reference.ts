// Independent reference implementations of the plugin library, written from the definitions in
// each plugin's header comment (not translated from the C): straightforward per-pixel code
// with a clamped sample accessor, used to check the plugins pixel by pixel.

import type { ParamName } from "../../httpd/plugin-abi.ts";
import type { RawImage } from "../../httpd/raw-image.ts";

type P = Record<ParamName, number>;

const clampByte = (v: number) => Math.max(0, Math.min(255, v));
const cdiv = (a: number, b: number) => Math.trunc(a / b);
const luma = (r: number, g: number, b: number) => (77 * r + 150 * g + 29 * b + 128) >> 8;

function make(width: number, height: number, channels: 1 | 3): RawImage {
  return {
    width,
    height,
    channels,
    stride: width * channels,
    data: new Uint8Array(width * height * channels),
  };
}

function at(img: RawImage, x: number, y: number, k: number): number {
  const cx = Math.max(0, Math.min(img.width - 1, x));
  const cy = Math.max(0, Math.min(img.height - 1, y));
  return img.data[cy * img.stride + cx * img.channels + k];
}

function put(img: RawImage, x: number, y: number, k: number, v: number): void {
  img.data[y * img.stride + x * img.channels + k] = v;
}

function lumaAt(img: RawImage, x: number, y: number): number {
  return img.channels === 3
    ? luma(at(img, x, y, 0), at(img, x, y, 1), at(img, x, y, 2))
    : at(img, x, y, 0);
}

function mapSamples(img: RawImage, f: (v: number) => number): RawImage {
  const out = make(img.width, img.height, img.channels);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let k = 0; k < img.channels; k++) put(out, x, y, k, f(at(img, x, y, k)));
  return out;
}

export function grayscale(img: RawImage): RawImage {
  if (img.channels === 1) return mapSamples(img, (v) => v);
  const out = make(img.width, img.height, 1);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) put(out, x, y, 0, lumaAt(img, x, y));
  return out;
}

export function sepia(img: RawImage): RawImage {
  const out = make(img.width, img.height, 3);
  const rows = [
    [393, 769, 189],
    [349, 686, 168],
    [272, 534, 131],
  ];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const rgb =
        img.channels === 3
          ? [0, 1, 2].map((k) => at(img, x, y, k))
          : [0, 0, 0].map(() => at(img, x, y, 0));
      rows.forEach((m, k) => {
        put(
          out,
          x,
          y,
          k,
          Math.min(255, Math.floor((m[0] * rgb[0] + m[1] * rgb[1] + m[2] * rgb[2]) / 1000)),
        );
      });
    }
  return out;
}

export const invert = (img: RawImage) => mapSamples(img, (v) => 255 - v);

export const brightness = (img: RawImage, p: P) =>
  mapSamples(img, (v) => clampByte(cdiv((v - 128) * p.contrast, 100) + 128 + p.brightness));

export function blur(img: RawImage, p: P): RawImage {
  const r = p.radius;
  const n = (2 * r + 1) ** 2;
  const out = make(img.width, img.height, img.channels);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let k = 0; k < img.channels; k++) {
        let sum = 0;
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) sum += at(img, x + dx, y + dy, k);
        put(out, x, y, k, Math.floor((sum + Math.floor(n / 2)) / n));
      }
  return out;
}

export function sharpen(img: RawImage, p: P): RawImage {
  const out = make(img.width, img.height, img.channels);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let k = 0; k < img.channels; k++) {
        const v = at(img, x, y, k);
        const lap =
          4 * v -
          at(img, x, y - 1, k) -
          at(img, x, y + 1, k) -
          at(img, x - 1, y, k) -
          at(img, x + 1, y, k);
        put(out, x, y, k, clampByte(v + cdiv(p.amount * lap, 100)));
      }
  return out;
}

export function sobel(img: RawImage): RawImage {
  const out = make(img.width, img.height, 1);
  const g = (x: number, y: number) => lumaAt(img, x, y);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const gx =
        g(x + 1, y - 1) +
        2 * g(x + 1, y) +
        g(x + 1, y + 1) -
        g(x - 1, y - 1) -
        2 * g(x - 1, y) -
        g(x - 1, y + 1);
      const gy =
        g(x - 1, y + 1) +
        2 * g(x, y + 1) +
        g(x + 1, y + 1) -
        g(x - 1, y - 1) -
        2 * g(x, y - 1) -
        g(x + 1, y - 1);
      put(out, x, y, 0, Math.min(255, Math.abs(gx) + Math.abs(gy)));
    }
  return out;
}

export function downscale(img: RawImage, p: P): RawImage {
  const s = p.scale;
  const ow = Math.max(1, Math.floor(img.width / s));
  const oh = Math.max(1, Math.floor(img.height / s));
  const out = make(ow, oh, img.channels);
  for (let oy = 0; oy < oh; oy++)
    for (let ox = 0; ox < ow; ox++)
      for (let k = 0; k < img.channels; k++) {
        let sum = 0;
        let n = 0;
        for (let y = oy * s; y < Math.min(oy * s + s, img.height); y++)
          for (let x = ox * s; x < Math.min(ox * s + s, img.width); x++) {
            sum += at(img, x, y, k);
            n++;
          }
        put(out, ox, oy, k, Math.floor((sum + Math.floor(n / 2)) / n));
      }
  return out;
}

export function crop(img: RawImage, p: P): RawImage {
  const w = p.w === 0 ? img.width - p.x : Math.min(p.w, img.width - p.x);
  const h = p.h === 0 ? img.height - p.y : Math.min(p.h, img.height - p.y);
  const out = make(w, h, img.channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < img.channels; k++) put(out, x, y, k, at(img, p.x + x, p.y + y, k));
  return out;
}

export function rotate(img: RawImage, p: P): RawImage {
  let cur = mapSamples(img, (v) => v);
  const turns = ((p.turns % 4) + 4) % 4;
  for (let t = 0; t < turns; t++) {
    // One clockwise quarter turn: the output's column x is the input's row (h - 1 - x).
    const next = make(cur.height, cur.width, cur.channels);
    for (let y = 0; y < cur.height; y++)
      for (let x = 0; x < cur.width; x++)
        for (let k = 0; k < cur.channels; k++)
          put(next, cur.height - 1 - y, x, k, at(cur, x, y, k));
    cur = next;
  }
  return cur;
}

export function threshold(img: RawImage, p: P): RawImage {
  const out = make(img.width, img.height, 1);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      put(out, x, y, 0, lumaAt(img, x, y) >= p.threshold ? 255 : 0);
  return out;
}

export function dither(img: RawImage, p: P): RawImage {
  const top = p.levels - 1;
  const { width: w, height: h, channels: c } = img;
  const out = make(w, h, c);
  // Error in sixteenths per sample, for the whole image (the plugin keeps only two rows).
  const acc = new Int32Array(w * h * c);
  const add = (x: number, y: number, k: number, e: number) => {
    if (x >= 0 && x < w && y < h) acc[(y * w + x) * c + k] += e;
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        const v = clampByte(at(img, x, y, k) + cdiv(acc[(y * w + x) * c + k], 16));
        const q = Math.floor((v * top + 127) / 255);
        const o = Math.floor((q * 255) / top);
        put(out, x, y, k, o);
        const e = v - o;
        add(x + 1, y, k, 7 * e);
        add(x - 1, y + 1, k, 3 * e);
        add(x, y + 1, k, 5 * e);
        add(x + 1, y + 1, k, e);
      }
  return out;
}

export const REFERENCES: Record<string, (img: RawImage, p: P) => RawImage> = {
  grayscale,
  sepia,
  invert,
  brightness,
  blur,
  sharpen,
  sobel,
  downscale,
  crop,
  rotate,
  threshold,
  dither,
};
