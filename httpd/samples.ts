// The images `npm start` serves when no directory is given: procedural, photo-like scenes (a
// sky gradient with a sun and clouds over layered hills and a lake; a city skyline at dusk),
// rendered resolution-independently at the paper's four PPM sizes (~9 KB, 99 KB, 270 KB,
// 3.3 MB) plus PNG/JPEG/WebP variants. Deterministic: the same bytes on every machine.

import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeImage } from "./codecs.ts";
import type { ImageFormat } from "./image-format.ts";
import type { RawImage } from "./raw-image.ts";
import { loadSharp } from "./sharp.ts";

/** The paper's PPM sizes: 64x48 (~9 KB), 210x158 (~99 KB), 346x260 (~270 KB), 1210x910 (~3.3 MB). */
export const PAPER_SIZES: ReadonlyArray<readonly [number, number]> = [
  [64, 48],
  [210, 158],
  [346, 260],
  [1210, 910],
];

// Bump when the renderer changes so cached samples are regenerated.
const SAMPLES_VERSION = 1;

type Rgb = [number, number, number];

/** Integer hash lattice noise (value noise, smoothstep-interpolated) in [0, 1). */
function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 374761393) + Math.imul(y, 668265263) + Math.imul(seed, 982451653);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function valueNoise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const xf = x - xi;
  const yf = y - yi;
  const u = xf * xf * (3 - 2 * xf);
  const v = yf * yf * (3 - 2 * yf);
  const a = hash2(xi, yi, seed);
  const b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed);
  const d = hash2(xi + 1, yi + 1, seed);
  return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
}

function fbm(x: number, y: number, seed: number, octaves: number): number {
  let sum = 0;
  let amp = 0.5;
  let freq = 1;
  for (let i = 0; i < octaves; i++) {
    sum += amp * valueNoise(x * freq, y * freq, seed + i);
    freq *= 2;
    amp *= 0.5;
  }
  return sum / (1 - 0.5 ** octaves);
}

const mix = (a: number, b: number, t: number) => a + (b - a) * t;
const clamp01 = (t: number) => Math.min(1, Math.max(0, t));
const smooth = (e0: number, e1: number, x: number) => {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};

function mixRgb(a: Rgb, b: Rgb, t: number): Rgb {
  return [mix(a[0], b[0], t), mix(a[1], b[1], t), mix(a[2], b[2], t)];
}

/** Valley: sky, sun with glow, clouds, three hill ranges fading into haze, a lake, grass. */
function valley(u: number, v: number, aspect: number): Rgb {
  const x = u * aspect;
  const horizon = 0.62;
  const sunX = 0.72 * aspect;
  const sunY = 0.3;
  const dSun = Math.hypot(x - sunX, v - sunY);
  let c: Rgb = mixRgb([38, 84, 170], [250, 180, 120], smooth(0, horizon, v) ** 1.6);
  c = mixRgb(c, [255, 236, 170], Math.exp(-dSun * 7) * 0.8);
  if (dSun < 0.06) c = mixRgb(c, [255, 250, 225], smooth(0.06, 0.05, dSun));
  const cloud = smooth(0.55, 0.8, fbm(x * 4, v * 9, 11, 5)) * smooth(0.5, 0.1, v);
  c = mixRgb(c, [250, 245, 240], cloud * 0.85);

  const ranges: Array<{ base: number; amp: number; freq: number; seed: number; col: Rgb }> = [
    { base: 0.5, amp: 0.1, freq: 3, seed: 3, col: [120, 130, 170] },
    { base: 0.58, amp: 0.08, freq: 5, seed: 5, col: [70, 110, 90] },
    { base: 0.68, amp: 0.07, freq: 7, seed: 7, col: [46, 104, 46] },
  ];
  for (const r of ranges) {
    const ridge = r.base - r.amp * fbm(x * r.freq, r.seed, r.seed, 5);
    if (v > ridge && v < 0.78) {
      const shade = 0.75 + 0.35 * fbm(x * 20, v * 20, r.seed + 20, 3) - (v - ridge) * 0.8;
      c = [r.col[0] * shade, r.col[1] * shade, r.col[2] * shade];
    }
  }
  if (v >= 0.78) {
    const shore = 0.78 + 0.02 * fbm(x * 10, 1, 31, 3);
    if (v < 0.9 && v > shore) {
      // The lake mirrors the sky with ripples.
      const rip = fbm(x * 30, v * 120, 41, 3);
      const sky = mixRgb([60, 100, 180], [240, 170, 120], smooth(1, 0.78, v));
      c = mixRgb(sky, [20, 40, 80], 0.35 + 0.3 * rip);
      c = mixRgb(c, [255, 230, 170], Math.exp(-Math.abs(x - sunX) * 14) * 0.6 * rip);
    } else {
      const g = fbm(x * 60, v * 60, 51, 4);
      c = mixRgb([60, 130, 40], [150, 170, 60], g);
      const flower = hash2(Math.floor(x * 140), Math.floor(v * 140), 61);
      if (v > 0.9 && flower > 0.985) c = flower > 0.993 ? [230, 60, 90] : [250, 220, 60];
    }
  }
  return c;
}

/** City: dusk gradient, a moon, two rows of buildings with lit windows, a road. */
function city(u: number, v: number, aspect: number): Rgb {
  const x = u * aspect;
  let c: Rgb = mixRgb([20, 24, 70], [240, 110, 80], smooth(0.05, 0.75, v));
  const dMoon = Math.hypot(x - 0.25 * aspect, v - 0.18);
  c = mixRgb(c, [250, 250, 235], smooth(0.05, 0.045, dMoon));
  c = mixRgb(c, [120, 110, 170], Math.exp(-dMoon * 10) * 0.3);
  const star = hash2(Math.floor(x * 300), Math.floor(v * 300), 71);
  if (v < 0.4 && star > 0.997) c = [255, 255, 240];

  for (const layer of [
    { seed: 81, width: 0.09, min: 0.35, max: 0.6, col: [60, 50, 90] as Rgb },
    { seed: 91, width: 0.06, min: 0.5, max: 0.75, col: [30, 30, 45] as Rgb },
  ]) {
    const col = Math.floor(x / layer.width);
    const top = mix(layer.min, layer.max, hash2(col, 0, layer.seed));
    if (v > top && v < 0.85) {
      c = layer.col;
      const wx = (x / layer.width) * 6;
      const wy = v * 80;
      const inWindow = wx % 1 > 0.35 && wy % 1 > 0.4;
      if (inWindow && hash2(Math.floor(wx), Math.floor(wy), layer.seed + 1) > 0.55) {
        c = mixRgb([255, 200, 90], [255, 240, 180], hash2(Math.floor(wx), Math.floor(wy), 3));
      }
    }
  }
  if (v >= 0.85) {
    c = mixRgb([50, 50, 55], [25, 25, 30], smooth(0.85, 1, v));
    if (Math.abs(v - 0.92) < 0.006 && x * 8 - Math.floor(x * 8) < 0.5) c = [230, 210, 120];
  }
  return c;
}

type Scene = (u: number, v: number, aspect: number) => Rgb;
export const SCENES: Record<string, Scene> = { valley, city };

/** Renders a scene, one sample per pixel plus a little film grain. */
export function renderScene(scene: Scene, width: number, height: number): RawImage {
  const data = new Uint8Array(width * height * 3);
  const aspect = width / height;
  let p = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = scene((x + 0.5) / width, (y + 0.5) / height, aspect);
      const grain = (hash2(x, y, 101) - 0.5) * 8;
      data[p++] = clampByte(c[0] + grain);
      data[p++] = clampByte(c[1] + grain);
      data[p++] = clampByte(c[2] + grain);
    }
  }
  return { width, height, channels: 3, stride: width * 3, data };
}

/** Resamples like a camera would (Lanczos), so small sizes look like photos, not aliasing. */
async function resized(image: RawImage, width: number, height: number): Promise<RawImage> {
  if (image.width === width && image.height === height) return image;
  const sharp = await loadSharp();
  const { data } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .resize(width, height, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width, height, channels: 3, stride: width * 3, data: new Uint8Array(data) };
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

// Every sample is resampled from one render at the largest size (4:3 like all of them).
const MASTER_SIZE = [1210, 910] as const;

interface SampleSpec {
  file: string;
  scene: string;
  width: number;
  height: number;
  format: ImageFormat;
}

export const SAMPLE_SPECS: readonly SampleSpec[] = [
  ...PAPER_SIZES.map(([w, h]) => ({
    file: `valley-${w}x${h}.ppm`,
    scene: "valley",
    width: w,
    height: h,
    format: "ppm" as const,
  })),
  { file: "city-346x260.ppm", scene: "city", width: 346, height: 260, format: "ppm" },
  { file: "valley.png", scene: "valley", width: 640, height: 480, format: "png" },
  { file: "city.jpg", scene: "city", width: 640, height: 480, format: "jpeg" },
  { file: "city.webp", scene: "city", width: 640, height: 480, format: "webp" },
];

/**
 * Ensures the sample images exist in `cacheDir/samples-v{N}` and returns that directory.
 * Rendering takes a moment, so it happens once per version; files appear atomically.
 */
export async function ensureSamples(cacheDir: string): Promise<string> {
  const dir = join(cacheDir, `samples-v${SAMPLES_VERSION}`);
  await mkdir(dir, { recursive: true });
  const present = new Set(await readdir(dir));
  const masters = new Map<string, RawImage>();
  for (const spec of SAMPLE_SPECS) {
    if (present.has(spec.file)) continue;
    let master = masters.get(spec.scene);
    if (!master) {
      master = renderScene(SCENES[spec.scene], MASTER_SIZE[0], MASTER_SIZE[1]);
      masters.set(spec.scene, master);
    }
    const image = await resized(master, spec.width, spec.height);
    const { body } = await encodeImage(image, spec.format, { quality: 90 });
    const tmp = join(dir, `.${spec.file}.${process.pid}.tmp`);
    await writeFile(tmp, body);
    await rename(tmp, join(dir, spec.file));
  }
  return dir;
}
