/* rotate: by `turns` quarter turns clockwise (any integer; taken mod 4). One turn maps the
 * input pixel (x, y) to the output pixel (h - 1 - y, x) of a h x w image. */
// @param turns: int = 1 — quarter turns clockwise (taken mod 4)
#include "kplug/image.h"

int rotate_transform(const image *in, image *out, const params *p) {
  int t = p->turns % 4;
  if (t < 0) t += 4;
  if (t == 0) {
    *out = *in;
    return IMAGE_OK;
  }
  int w = in->width, h = in->height, c = in->channels;
  int ow = t == 2 ? w : h, oh = t == 2 ? h : w;
  int rc = image_alloc(out, ow, oh, c);
  if (rc != IMAGE_OK) return rc;
  for (int y = 0; y < h; y++) {
    const uint8_t *s = in->pixels + y * in->stride;
    for (int x = 0; x < w; x++) {
      int ox, oy;
      switch (t) {
      case 1: ox = h - 1 - y; oy = x; break;
      case 2: ox = w - 1 - x; oy = h - 1 - y; break;
      default: ox = y; oy = w - 1 - x; break;
      }
      uint8_t *d = out->pixels + oy * out->stride + ox * c;
      for (int k = 0; k < c; k++) d[k] = s[x * c + k];
    }
  }
  return IMAGE_OK;
}
