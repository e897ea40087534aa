/* grayscale: 24-bit RGB to 8-bit gray, the paper's transcoding.
 * An adapter from the image ABI to grayscale() (plugins/grayscale.c), which it calls directly
 * in the same runtime: a plugin-to-plugin call. Gray input is copied unchanged. */
#include "kplug/image.h"

extern int grayscale(const uint8_t *src, uint8_t *dst, int width, int height, int src_stride);

int grayscale_transform(const image *in, image *out, const params *p) {
  (void)p;
  if (in->channels == 1) {
    *out = *in;
    return IMAGE_OK;
  }
  if (in->channels != 3) return IMAGE_EFORMAT;
  int rc = image_alloc(out, in->width, in->height, 1);
  if (rc != IMAGE_OK) return rc;
  if (grayscale(in->pixels, out->pixels, in->width, in->height, in->stride) != 0)
    return IMAGE_EPARAM;
  return IMAGE_OK;
}
