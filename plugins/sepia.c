/* sepia: the classic sepia matrix in integer thousandths, each result clamped to 255.
 * Gray input is treated as r = g = b; the output is always RGB. */
#include "kplug/image.h"

int sepia_transform(const image *in, image *out, const params *p) {
  (void)p;
  if (in->channels != 1 && in->channels != 3) return IMAGE_EFORMAT;
  int rc = image_alloc(out, in->width, in->height, 3);
  if (rc != IMAGE_OK) return rc;
  int step = in->channels;
  for (int y = 0; y < in->height; y++) {
    const uint8_t *s = in->pixels + y * in->stride;
    uint8_t *d = out->pixels + y * out->stride;
    for (int x = 0; x < in->width; x++) {
      int r = s[0];
      int g = step == 3 ? s[1] : r;
      int b = step == 3 ? s[2] : r;
      int nr = (393 * r + 769 * g + 189 * b) / 1000;
      int ng = (349 * r + 686 * g + 168 * b) / 1000;
      int nb = (272 * r + 534 * g + 131 * b) / 1000;
      d[0] = (uint8_t)(nr > 255 ? 255 : nr);
      d[1] = (uint8_t)(ng > 255 ? 255 : ng);
      d[2] = (uint8_t)(nb > 255 ? 255 : nb);
      s += step;
      d += 3;
    }
  }
  return IMAGE_OK;
}
