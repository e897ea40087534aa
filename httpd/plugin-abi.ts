// The image plugin ABI: the built-in header `kplug/image.h` every image plugin includes, and
// the host's view of the same structs in a runtime's memory.
//
// A plugin named N exports `int N_transform(const image *in, image *out, const params *p)`.
// The host places the input image and the parameters in the runtime's memory; the plugin fills
// `*out`, either with a fresh buffer from image_alloc() (any size, 1 or 3 channels), or by
// pointing into the input's pixels (a crop is zero-copy: same stride, offset pointer), or by
// transforming the input in place and copying `*in` to `*out`. It returns 0, or a negative
// IMAGE_E* code. Chains pass one plugin's output as the next one's input without copying.
//
// Browser-safe (the playground page bundles it): the header's text is in image-header.ts.

/** Byte offsets of `struct image` in wasm32. */
export const IMAGE_STRUCT = {
  size: 20,
  width: 0,
  height: 4,
  channels: 8,
  stride: 12,
  pixels: 16,
} as const;

/** `struct params` fields in declaration order (each an int, 4 bytes), then `arg[8]`. */
export const PARAM_FIELDS = [
  "scale",
  "threshold",
  "brightness",
  "contrast",
  "radius",
  "amount",
  "x",
  "y",
  "w",
  "h",
  "turns",
  "levels",
] as const;
export type ParamName = (typeof PARAM_FIELDS)[number];
export const PARAM_ARGS = 8;
export const PARAMS_STRUCT_SIZE = (PARAM_FIELDS.length + PARAM_ARGS) * 4;

export const PARAM_DEFAULTS: Record<ParamName, number> = {
  scale: 2,
  threshold: 128,
  brightness: 0,
  contrast: 100,
  radius: 1,
  amount: 100,
  x: 0,
  y: 0,
  w: 0,
  h: 0,
  turns: 1,
  levels: 2,
};

export interface PluginParams {
  values: Record<ParamName, number>;
  args: number[];
}

export function defaultParams(): PluginParams {
  return { values: { ...PARAM_DEFAULTS }, args: new Array(PARAM_ARGS).fill(0) };
}

/** Error codes a transform may return, as text for the response. */
export const TRANSFORM_ERRORS: Record<number, string> = {
  [-1]: "the plugin rejected the parameters for this image",
  [-2]: "the plugin ran out of memory",
  [-3]: "the plugin does not support this image's channel count",
};

/** Names of image plugins (a client's upload, a ?plugin= step): a C identifier, short. */
export const PLUGIN_NAME = /^[a-z][a-z0-9_]{0,31}$/;
export const PLUGIN_NAME_RULE = "plugin names are [a-z][a-z0-9_]{0,31}";

/** A module exporting `N_transform` provides the image plugin N. */
export const TRANSFORM_SUFFIX = "_transform";

/** The exported entry point of the image plugin named `name`. */
export function entrySymbol(name: string): string {
  return `${name}${TRANSFORM_SUFFIX}`;
}

/** What a plugin lacking its entry point is told. */
export function entryRequirement(name: string): string {
  return `plugin '${name}' must define int ${entrySymbol(name)}(const image *in, image *out, const params *p)`;
}

export function writeParams(view: DataView, ptr: number, params: PluginParams): void {
  let off = ptr;
  for (const field of PARAM_FIELDS) {
    view.setInt32(off, params.values[field], true);
    off += 4;
  }
  for (let i = 0; i < PARAM_ARGS; i++) {
    view.setInt32(off, params.args[i] ?? 0, true);
    off += 4;
  }
}

const words = new Int32Array(PARAMS_STRUCT_SIZE >> 2);

/**
 * `struct params` as words, to copy in one go; shared, valid until the next call. The fields
 * are read by name in PARAM_FIELDS order (a test checks it against writeParams): a keyed read
 * per field costs ~30 ns on a cold path.
 */
export function paramWords(params: PluginParams): Int32Array {
  const v = params.values;
  words[0] = v.scale;
  words[1] = v.threshold;
  words[2] = v.brightness;
  words[3] = v.contrast;
  words[4] = v.radius;
  words[5] = v.amount;
  words[6] = v.x;
  words[7] = v.y;
  words[8] = v.w;
  words[9] = v.h;
  words[10] = v.turns;
  words[11] = v.levels;
  const args = params.args;
  for (let i = 0; i < PARAM_ARGS; i++) words[PARAM_FIELDS.length + i] = args[i] ?? 0;
  return words;
}

export interface ImageDescriptor {
  width: number;
  height: number;
  channels: number;
  stride: number;
  pixels: number;
}

/**
 * Why a plugin's output descriptor cannot be used, or undefined if it is sound: positive
 * sizes, 1 or 3 channels, a stride that holds a row, and every row inside the memory.
 */
export function checkOutput(d: ImageDescriptor, memoryBytes: number): string | undefined {
  if (d.width < 1 || d.height < 1) return `output size ${d.width}x${d.height} is empty`;
  if (d.channels !== 1 && d.channels !== 3) return `output has ${d.channels} channels`;
  if (d.stride < d.width * d.channels) return `output stride ${d.stride} is shorter than a row`;
  const end = d.pixels + d.stride * (d.height - 1) + d.width * d.channels;
  if (d.pixels === 0 || !Number.isSafeInteger(end) || end > memoryBytes) {
    return "output pixels lie outside the plugin's memory";
  }
  return undefined;
}
