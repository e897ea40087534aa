/* brightness: v' = clamp(((v - 128) * contrast) / 100 + 128 + brightness), in place.
 * Division truncates toward zero, as C's does. A 256-entry table does the per-sample work. */
// @param brightness: int -255..255 = 0 — added to every sample
// @param contrast: int 0..10000 = 100 — contrast in percent (100 = unchanged)
#include "kplug/image.h"

int brightness_transform(const image *in, image *out, const params *p) {
  if (p->contrast < 0 || p->contrast > 10000) return IMAGE_EPARAM;
  if (p->brightness < -255 || p->brightness > 255) return IMAGE_EPARAM;
  uint8_t table[256];
  for (int v = 0; v < 256; v++)
    table[v] = (uint8_t)clamp255(((v - 128) * p->contrast) / 100 + 128 + p->brightness);
  int row = in->width * in->channels;
  for (int y = 0; y < in->height; y++) {
    uint8_t *s = in->pixels + y * in->stride;
    for (int i = 0; i < row; i++) s[i] = table[s[i]];
  }
  *out = *in;
  return IMAGE_OK;
}
