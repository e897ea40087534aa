// The WAT listing's per-function links: C definitions found, calls and prototypes not.

import assert from "node:assert/strict";
import { test } from "node:test";
import { definitionLines } from "../../httpd/wat-listing.ts";

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
