// The plugin library compiled by kplug and run in a kernel runtime through the image ABI,
// checked pixel by pixel against the independent reference implementations, on images with
// padded rows, both channel counts and degenerate sizes; chains pass images in place.

import assert from "node:assert/strict";
import { before, test } from "node:test";
import { PLUGINS_DIR } from "../../httpd/helper.ts";
import { PluginLibrary } from "../../httpd/library.ts";
import { detached, runChain, TransformRejected } from "../../httpd/plugin-runner.ts";
import { Kernel } from "../../kernel/index.ts";
import type { Runtime } from "../../kernel/runtime.ts";
import { firstDifference, PLUGIN_CASES, params, testImage } from "./fixtures.ts";
import { REFERENCES } from "./reference.ts";

let library: PluginLibrary;
let runtime: Runtime;

before(async () => {
  library = await PluginLibrary.load(PLUGINS_DIR);
  runtime = new Kernel().createRuntime("test", {
    memory: 64 << 20,
    allow: ["libc"],
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

test("a chain frees every block it used", () => {
  const img = testImage(120, 90, 3);
  const used = runtime.heap.used;
  for (let i = 0; i < 20; i++)
    runChain(
      runtime,
      ["blur", "crop", "sobel", "downscale", "invert"],
      img,
      params({ x: 3, y: 3 }),
      (r) => r.width,
    );
  assert.equal(runtime.heap.used, used);
});
