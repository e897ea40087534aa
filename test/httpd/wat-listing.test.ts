// The WAT listing's links: through the module's line table, and from `(func $name` lines to
// the C definitions (found at file scope; calls and prototypes are not definitions).

import assert from "node:assert/strict";
import { test } from "node:test";
import { compile } from "../../cc/index.ts";
import { IMAGE_INCLUDES } from "../../httpd/library.ts";
import { definitionLines, watListing } from "../../httpd/wat-listing.ts";

test("definitions at file scope, not prototypes, calls or control statements", () => {
  const src = `#include "kplug/image.h"
int helper(int v);
static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

int helper(int v) {
  if (v) {
    return helper(v - 1);
  }
  return 0;
}
unsigned char *
make(void)
{
  return 0;
}
int mine_transform(const image *in, image *out, const params *p) {
  return 0;
}
`;
  assert.deepEqual(
    [...definitionLines(src)],
    [
      ["clampi", 3],
      ["helper", 5],
      ["make", 12],
      ["mine_transform", 16],
    ],
  );
});

test("through the line table: statements link to their instructions, header code to its call", () => {
  const file = "mine.c";
  const source = `#include "kplug/image.h"
int mine_transform(const image *in, image *out, const params *p) {
  int k = p->threshold / in->width;
  int rc = image_alloc(out, in->width, in->height, 1);
  if (rc != IMAGE_OK) return rc;
  out->pixels[0] = (uint8_t)k;
  return IMAGE_OK;
}
`;
  const r = compile(source, { file, includes: IMAGE_INCLUDES });
  assert.ok(r.ok);
  const { wat, lines } = watListing(r.module.wasm, source, file);
  const text = wat.split("\n");
  const linked = (line: number) => lines.filter(([, s]) => s === line).map(([w]) => text[w - 1]);
  // The division of line 3 is among its instructions.
  assert.ok(
    linked(3).some((l) => /i32\.div_s/.test(l)),
    linked(3).join("\n"),
  );
  // image_alloc is inlined from the header: its code links to line 4, which calls it.
  assert.ok(linked(4).length > 10);
  assert.ok(
    linked(4).some((l) => /call \$image_buffer/.test(l)),
    linked(4).join("\n"),
  );
  assert.ok(
    linked(6).some((l) => /i32\.store8/.test(l)),
    linked(6).join("\n"),
  );
  // Every link is to a line of the file, and WAT lines are in range.
  const max = source.split("\n").length;
  for (const [w, s] of lines) assert.ok(w >= 1 && w <= text.length && s >= 1 && s <= max);
});
