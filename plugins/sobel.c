/* sobel: edge magnitude |gx| + |gy| (clamped to 255) of the luma, 3x3 Sobel kernels with
 * clamp-to-edge sampling. The output is gray. */
#include "kplug/image.h"

int sobel_transform(const image *in, image *out, const params *p) {
  (void)p;
  int w = in->width, h = in->height, c = in->channels;
  if (c != 1 && c != 3) return IMAGE_EFORMAT;
  uint8_t *gray = (uint8_t *)malloc((size_t)w * h);
  if (!gray) return IMAGE_ENOMEM;
  for (int y = 0; y < h; y++) {
    const uint8_t *s = in->pixels + y * in->stride;
    for (int x = 0; x < w; x++)
      gray[y * w + x] = (uint8_t)(c == 3 ? luma(s[3 * x], s[3 * x + 1], s[3 * x + 2]) : s[x]);
  }
  int rc = image_alloc(out, w, h, 1);
  if (rc != IMAGE_OK) {
    free(gray);
    return rc;
  }
  for (int y = 0; y < h; y++) {
    const uint8_t *m = gray + y * w;
    const uint8_t *a = y > 0 ? m - w : m;
    const uint8_t *b = y < h - 1 ? m + w : m;
    uint8_t *d = out->pixels + y * out->stride;
    for (int x = 0; x < w; x++) {
      int l = x > 0 ? x - 1 : 0;
      int r = x < w - 1 ? x + 1 : w - 1;
      int gx = (a[r] + 2 * m[r] + b[r]) - (a[l] + 2 * m[l] + b[l]);
      int gy = (b[l] + 2 * b[x] + b[r]) - (a[l] + 2 * a[x] + a[r]);
      int mag = (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
      d[x] = (uint8_t)(mag > 255 ? 255 : mag);
    }
  }
  free(gray);
  return IMAGE_OK;
}
