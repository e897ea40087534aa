/* downscale: by an integer factor s (1..64). The output is max(1, w / s) x max(1, h / s);
 * each output sample is the rounded mean of its s x s block (clipped to the image). */
// @param scale: int 1..64 = 2 — downscale factor
#include "kplug/image.h"

int downscale_transform(const image *in, image *out, const params *p) {
  int s = p->scale;
  if (s < 1 || s > 64) return IMAGE_EPARAM;
  int c = in->channels;
  int ow = in->width / s, oh = in->height / s;
  if (ow < 1) ow = 1;
  if (oh < 1) oh = 1;
  int rc = image_alloc(out, ow, oh, c);
  if (rc != IMAGE_OK) return rc;
  for (int oy = 0; oy < oh; oy++) {
    int y0 = oy * s, y1 = y0 + s;
    if (y1 > in->height) y1 = in->height;
    for (int ox = 0; ox < ow; ox++) {
      int x0 = ox * s, x1 = x0 + s;
      if (x1 > in->width) x1 = in->width;
      int n = (y1 - y0) * (x1 - x0);
      for (int k = 0; k < c; k++) {
        int sum = 0;
        for (int y = y0; y < y1; y++) {
          const uint8_t *row = in->pixels + y * in->stride + k;
          for (int x = x0; x < x1; x++) sum += row[x * c];
        }
        out->pixels[oy * out->stride + ox * c + k] = (uint8_t)((sum + n / 2) / n);
      }
    }
  }
  return IMAGE_OK;
}
