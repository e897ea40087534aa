// The C sources of the isolation benchmark: the good client's own grayscale plugin and what the
// hostile client sends (issue 10): a legal plugin that burns most of its fuel, a memset
// amplification, a plugin that loops until its fuel runs out (for playground tries) and a
// compile bomb. Loop counts come in as request parameters (`a0`), so the benchmark can size
// them in the run.

/** The good client's plugin `gray`: BT.601 luma with 8-bit weights, its own code throughout. */
export const GOOD_GRAY = `#include "kplug/image.h"
int gray_transform(const image *in, image *out, const params *p) {
  (void)p;
  if (in->channels != 3) return IMAGE_EFORMAT;
  int rc = image_alloc(out, in->width, in->height, 1);
  if (rc != IMAGE_OK) return rc;
  for (int y = 0; y < in->height; y++) {
    const uint8_t *s = in->pixels + y * in->stride;
    uint8_t *d = out->pixels + y * out->stride;
    for (int x = 0; x < in->width; x++, s += 3)
      d[x] = (uint8_t)((77 * s[0] + 150 * s[1] + 29 * s[2] + 128) >> 8);
  }
  return IMAGE_OK;
}
`;

/** `burn`: a legal loop of `a0` trips, then the image unchanged. Sized to ~49M fuel. */
export const BURN = `#include "kplug/image.h"
int burn_transform(const image *in, image *out, const params *p) {
  volatile unsigned acc = 0;
  for (int i = 0; i < p->arg[0]; i++) acc += (unsigned)i;
  *out = *in;
  return IMAGE_OK;
}
`;

/** Bytes each memset of the amplification writes (issue 10: `memset(p, i, 48 << 20)`). */
export const FILL_BYTES = 48 << 20;

/** `fill`: `a0` memsets of 48 MiB, about one fuel each in a server that does not charge host work. */
export const FILL = `#include "kplug/image.h"
#include <stdlib.h>
#include <string.h>
static unsigned char *block;
int fill_transform(const image *in, image *out, const params *p) {
  if (!block) block = malloc(${FILL_BYTES});
  if (!block) return IMAGE_ENOMEM;
  for (int i = 0; i < p->arg[0]; i++) memset(block, i, ${FILL_BYTES});
  *out = *in;
  return IMAGE_OK;
}
`;

/** `spin`: loops until the fuel runs out (a playground try of a half-written plugin). */
export const SPIN = `#include "kplug/image.h"
int spin_transform(const image *in, image *out, const params *p) {
  volatile unsigned x = 0;
  for (;;) x++;
  return IMAGE_OK;
}
`;

/**
 * A compile bomb: 250 bytes whose macros multiply out to ~200k tokens of statements (4^6 copies
 * in each of three functions), just under the compiler's token limit, so it is accepted and
 * compiles for a few hundred milliseconds (measured on this project's machines).
 */
export function compileBomb(): string {
  let s = "#define S0 x = x * 3 + 1; if (x & 1) x ^= 7;\n";
  for (let i = 1; i <= 6; i++) s += `#define S${i} S${i - 1} S${i - 1} S${i - 1} S${i - 1}\n`;
  for (let f = 0; f < 3; f++) s += `int bomb${f}(int x) { S6 return x; }\n`;
  return s;
}
