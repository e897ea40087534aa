/* sharpen: v' = clamp(v + amount * (4v - up - down - left - right) / 100), neighbours sampled
 * with clamp-to-edge; amount is a percentage (0..1000). */
// @param amount: int 0..1000 = 100 — strength in percent
#include "kplug/image.h"

int sharpen_transform(const image *in, image *out, const params *p) {
  int amount = p->amount;
  if (amount < 0 || amount > 1000) return IMAGE_EPARAM;
  int w = in->width, h = in->height, c = in->channels;
  int rc = image_alloc(out, w, h, c);
  if (rc != IMAGE_OK) return rc;
  for (int y = 0; y < h; y++) {
    const uint8_t *s = in->pixels + y * in->stride;
    const uint8_t *up = y > 0 ? s - in->stride : s;
    const uint8_t *down = y < h - 1 ? s + in->stride : s;
    uint8_t *d = out->pixels + y * out->stride;
    for (int x = 0; x < w; x++) {
      int l = x > 0 ? x - 1 : 0;
      int rt = x < w - 1 ? x + 1 : w - 1;
      for (int k = 0; k < c; k++) {
        int v = s[x * c + k];
        int lap = 4 * v - up[x * c + k] - down[x * c + k] - s[l * c + k] - s[rt * c + k];
        d[x * c + k] = (uint8_t)clamp255(v + amount * lap / 100);
      }
    }
  }
  return IMAGE_OK;
}
