/* dither: Floyd–Steinberg error diffusion to `levels` (2..256) levels per channel, raster
 * order. Errors are kept in sixteenths: a sample's value is clamp(v + acc / 16) (C division),
 * its level q = (value * (L - 1) + 127) / 255, its output q * 255 / (L - 1), and its error
 * e = value - output goes 7e right, 3e down-left, 5e down, 1e down-right. */
// @param levels: int 2..256 = 2 — levels per channel
#include "kplug/image.h"
#include <string.h>

int dither_transform(const image *in, image *out, const params *p) {
  int levels = p->levels;
  if (levels < 2 || levels > 256) return IMAGE_EPARAM;
  int w = in->width, h = in->height, c = in->channels;
  int rc = image_alloc(out, w, h, c);
  if (rc != IMAGE_OK) return rc;
  /* Two rows of accumulated error with one spare sample at each end. */
  int span = (w + 2) * c;
  int *cur = (int *)malloc((size_t)span * 2 * sizeof(int));
  if (!cur) return IMAGE_ENOMEM;
  int *next = cur + span;
  memset(cur, 0, (size_t)span * 2 * sizeof(int));
  int top = levels - 1;
  for (int y = 0; y < h; y++) {
    const uint8_t *s = in->pixels + y * in->stride;
    uint8_t *d = out->pixels + y * out->stride;
    for (int x = 0; x < w; x++) {
      for (int k = 0; k < c; k++) {
        int i = (x + 1) * c + k;
        int v = clamp255(s[x * c + k] + cur[i] / 16);
        int q = (v * top + 127) / 255;
        int o = q * 255 / top;
        int e = v - o;
        d[x * c + k] = (uint8_t)o;
        cur[i + c] += 7 * e;
        next[i - c] += 3 * e;
        next[i] += 5 * e;
        next[i + c] += e;
      }
    }
    int *t = cur;
    cur = next;
    next = t;
    memset(next, 0, (size_t)span * sizeof(int));
  }
  free(cur < next ? cur : next);
  return IMAGE_OK;
}
