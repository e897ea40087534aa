/* threshold: gray output, 255 where the luma is >= threshold, else 0. */
// @param threshold: int 0..256 = 128 — luma at or above which a pixel turns white
#include "kplug/image.h"

int threshold_transform(const image *in, image *out, const params *p) {
  int t = p->threshold;
  if (t < 0 || t > 256) return IMAGE_EPARAM;
  int w = in->width, c = in->channels;
  if (c != 1 && c != 3) return IMAGE_EFORMAT;
  int rc = image_alloc(out, w, in->height, 1);
  if (rc != IMAGE_OK) return rc;
  for (int y = 0; y < in->height; y++) {
    const uint8_t *s = in->pixels + y * in->stride;
    uint8_t *d = out->pixels + y * out->stride;
    for (int x = 0; x < w; x++) {
      int v = c == 3 ? luma(s[3 * x], s[3 * x + 1], s[3 * x + 2]) : s[x];
      d[x] = (uint8_t)(v >= t ? 255 : 0);
    }
  }
  return IMAGE_OK;
}
