// The plugin library built natively (gcc -O2) into the out-of-process helper, checked pixel by
// pixel against the reference implementations: the helper is the benchmark's baseline, so it
// must compute exactly what the plugins compute.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildHelper, HelperError, TranscoderHelper } from "../../httpd/helper.ts";
import { firstDifference, PLUGIN_CASES, params, testImage } from "./fixtures.ts";
import { REFERENCES } from "./reference.ts";

const dir = mkdtempSync(join(tmpdir(), "kplug-helper-"));
let helper: TranscoderHelper;

before(async () => {
  helper = new TranscoderHelper(await buildHelper(dir));
});

after(async () => {
  await helper.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const [name, values] of PLUGIN_CASES) {
  test(`native ${name} ${JSON.stringify(values)} matches the reference`, async () => {
    for (const [w, h, c] of [
      [37, 23, 3],
      [16, 9, 1],
      [1, 1, 3],
    ] as const) {
      const img = testImage(w, h, c);
      const p = params(values);
      if (name === "crop" && ((values.x ?? 0) >= w || (values.y ?? 0) >= h)) {
        // A region of interest outside the image is refused, not clipped to nothing.
        await assert.rejects(helper.transform(name, img, p), HelperError);
        continue;
      }
      const expected = REFERENCES[name](img, p.values);
      const actual = await helper.transform(name, img, p);
      assert.equal(firstDifference(actual, expected), undefined, `${name} on ${w}x${h}x${c}`);
    }
  });
}

test("native helper reports rejected parameters and keeps serving", async () => {
  const img = testImage(8, 8, 3);
  await assert.rejects(
    helper.transform("blur", img, params({ radius: 0 })),
    (e: unknown) => e instanceof HelperError && e.status === -1,
  );
  const ok = await helper.transform("invert", img, params({}));
  assert.equal(ok.data[0], 255 - img.data[0]);
});
