/* invert: every sample v becomes 255 - v, in place. */
#include "kplug/image.h"

int invert_transform(const image *in, image *out, const params *p) {
  (void)p;
  int row = in->width * in->channels;
  for (int y = 0; y < in->height; y++) {
    uint8_t *s = in->pixels + y * in->stride;
    for (int i = 0; i < row; i++) s[i] = (uint8_t)(255 - s[i]);
  }
  *out = *in;
  return IMAGE_OK;
}
