// The plugin library compiled by kplug and run in a kernel runtime through the image ABI,
// checked pixel by pixel against the independent reference implementations, on images with
// padded rows, both channel counts and degenerate sizes; chains pass images in place.

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { PLUGINS_DIR } from "../../httpd/helper.ts";
import { installImageBuffers } from "../../httpd/image-buffers.ts";
import { IMAGE_INCLUDES, PluginLibrary } from "../../httpd/library.ts";
import { detached, runChain, TransformRejected } from "../../httpd/plugin-runner.ts";
import { PLUGIN_GRANTS } from "../../httpd/runtimes.ts";
import { UnlinkedSymbolError } from "../../kernel/errors.ts";
import { Kernel } from "../../kernel/index.ts";
import type { Runtime } from "../../kernel/runtime.ts";
import { firstDifference, PLUGIN_CASES, params, testImage } from "./fixtures.ts";
import { REFERENCES } from "./reference.ts";

let library: PluginLibrary;
let runtime: Runtime;

before(async () => {
  library = await PluginLibrary.load(PLUGINS_DIR);
  const kernel = new Kernel();
  installImageBuffers(kernel);
  runtime = kernel.createRuntime("test", {
    memory: 64 << 20,
    allow: [...PLUGIN_GRANTS],
    quarantine: false,
  });
  library.linkInto(runtime, (p) => assert.fail(`${p.file}: ${p.message}`));
});

test("the whole library compiles and links", () => {
  assert.deepEqual(library.problems, []);
  const expected = [
    "blur",
    "brightness",
    "crop",
    "dither",
    "downscale",
    "grayscale",
    "invert",
    "rotate",
    "sepia",
    "sharpen",
    "sobel",
    "threshold",
  ];
  assert.deepEqual([...library.transforms.keys()].sort(), expected);
});

for (const [name, values] of PLUGIN_CASES) {
  test(`plugin ${name} ${JSON.stringify(values)} matches the reference`, () => {
    for (const [w, h, c, pad] of [
      [37, 23, 3, 5],
      [16, 9, 1, 3],
      [64, 48, 3, 0],
      [1, 1, 3, 0],
    ] as const) {
      const img = testImage(w, h, c, pad);
      const p = params(values);
      if (name === "crop" && ((values.x ?? 0) >= w || (values.y ?? 0) >= h)) {
        assert.throws(() => runChain(runtime, [name], img, p, detached), TransformRejected);
        continue;
      }
      const expected = REFERENCES[name](img, p.values);
      const actual = runChain(runtime, [name], img, p, detached);
      assert.equal(
        firstDifference(actual, expected),
        undefined,
        `${name} on ${w}x${h}x${c}+${pad}`,
      );
    }
  });
}

test("chains pass each output to the next plugin (pda and eink profiles)", () => {
  const img = testImage(50, 40, 3, 2);
  const p = params({ scale: 2, levels: 2 });
  const pda = runChain(runtime, ["downscale", "grayscale"], img, p, detached);
  assert.equal(
    firstDifference(pda, REFERENCES.grayscale(REFERENCES.downscale(img, p.values), p.values)),
    undefined,
  );
  const eink = runChain(runtime, ["grayscale", "dither"], img, p, detached);
  assert.equal(
    firstDifference(eink, REFERENCES.dither(REFERENCES.grayscale(img, p.values), p.values)),
    undefined,
  );
  assert.ok(
    eink.data.every((v) => v === 0 || v === 255),
    "1-bit output",
  );
  const cropThenRotate = runChain(
    runtime,
    ["crop", "rotate", "invert"],
    img,
    params({ x: 5, y: 4, w: 20, h: 10, turns: 1 }),
    detached,
  );
  const q = params({ x: 5, y: 4, w: 20, h: 10, turns: 1 }).values;
  assert.equal(
    firstDifference(
      cropThenRotate,
      REFERENCES.invert(REFERENCES.rotate(REFERENCES.crop(img, q), q), q),
    ),
    undefined,
  );
});

test("a chain frees every block it used beyond the host's bounded, reusable scratch", () => {
  const img = testImage(120, 90, 3);
  const chain = () =>
    runChain(
      runtime,
      ["blur", "crop", "sobel", "downscale", "invert"],
      img,
      params({ x: 3, y: 3 }),
      (r) => r.width,
    );
  const before = runtime.heap.used;
  chain();
  const used = runtime.heap.used;
  // The descriptors, the input pixels and a few output buffers for the next chain's plugins.
  const kept = used - before;
  assert.ok(kept <= 120 * 90 * 3 + 16 + 128 + (64 << 20) / 16, `${kept} bytes kept`);
  assert.ok(kept < 6 * 120 * 90 * 3, `${kept} bytes kept`);
  for (let i = 0; i < 20; i++) chain();
  assert.equal(runtime.heap.used, used);
});

test("a plugin that frees the blocks it was lent cannot make the host reuse or double-free them", () => {
  const kernel = new Kernel();
  installImageBuffers(kernel);
  const rt = kernel.createRuntime("hostile", {
    memory: 16 << 20,
    allow: [...PLUGIN_GRANTS],
    quarantine: false,
  });
  // Frees its input, then allocates a smaller output: malloc hands back part of the same block.
  rt.add(
    "thief",
    `#include "kplug/image.h"
int thief_transform(const image *in, image *out, const params *p) {
  int w = in->width, h = in->height, c = in->channels, stride = in->stride;
  uint8_t first = in->pixels[0];
  free(in->pixels);
  int rc = image_alloc(out, w / 2, h, c);
  if (rc) return rc;
  for (int i = 0; i < w / 2 * h * c; i++) out->pixels[i] = (uint8_t)(first + stride);
  return 0;
}`,
    { includes: IMAGE_INCLUDES },
  );
  const img = testImage(16, 8, 3);
  const round = () => {
    const [first, width] = runChain(rt, ["thief"], img, params({}), (r) => [r.data[0], r.width]);
    assert.deepEqual([first, width], [(img.data[0] + 48) & 0xff, 8]);
  };
  round();
  const used = rt.heap.used;
  // Every round re-allocates what the plugin took; nothing leaks and nothing is freed twice.
  for (let i = 0; i < 5; i++) round();
  assert.equal(rt.heap.used, used);
});

test("image_alloc hands the next chain the buffer the last one produced", () => {
  const img = testImage(64, 48, 3);
  const where = () => runChain(runtime, ["grayscale"], img, params({}), (r) => r.data.byteOffset);
  where();
  const first = where();
  assert.equal(where(), first);
  assert.equal(where(), first);
});

test("a plugin may free() what image_alloc gave it", () => {
  const kernel = new Kernel();
  installImageBuffers(kernel);
  const rt = kernel.createRuntime("tidy", {
    allow: [...PLUGIN_GRANTS],
    quarantine: false,
  });
  rt.add(
    "tidy",
    `#include "kplug/image.h"
int tidy_transform(const image *in, image *out, const params *p) {
  image tmp;
  int rc = image_alloc(&tmp, in->width, in->height, 1);
  if (rc) return rc;
  free(tmp.pixels);
  *out = *in;
  return 0;
}`,
    { includes: IMAGE_INCLUDES },
  );
  const img = testImage(10, 10, 3);
  runChain(rt, ["tidy"], img, params({}), () => 0);
  const used = rt.heap.used;
  for (let i = 0; i < 5; i++) runChain(rt, ["tidy"], img, params({}), () => 0);
  assert.equal(rt.heap.used, used);
});

test("a plugin re-linked with another signature is called anew, a removed one is unknown", () => {
  const kernel = new Kernel();
  installImageBuffers(kernel);
  const rt = kernel.createRuntime("swap", {
    allow: [...PLUGIN_GRANTS],
    quarantine: false,
  });
  const source = (value: number, signature: string) => `#include "kplug/image.h"
int swap_transform(${signature}) {
  *out = *in;
  for (int i = 0; i < in->height * in->stride; i++) out->pixels[i] = ${value};
  return 0;
}`;
  const img = testImage(4, 4, 1);
  const first = () => runChain(rt, ["swap"], img, params({}), (r) => r.data[0]);
  rt.add("swap", source(7, "const image *in, image *out, const params *p"), {
    includes: IMAGE_INCLUDES,
  });
  assert.equal(first(), 7);
  rt.replace("swap", source(9, "const image *in, image *out, const params *p"), {
    includes: IMAGE_INCLUDES,
  });
  assert.equal(first(), 9, "a hot swap");
  rt.replace("swap", source(11, "image *in, image *out"), { includes: IMAGE_INCLUDES });
  assert.equal(first(), 11, "another signature");
  rt.remove("swap");
  assert.throws(first, UnlinkedSymbolError);
});
