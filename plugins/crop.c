/* crop: the region of interest x, y, w, h (w or h 0 = to the edge), clipped to the image.
 * Zero-copy: the output points into the input's pixels and keeps its stride. */
// @param x: int 0..65535 = 0 — left edge of the region
// @param y: int 0..65535 = 0 — top edge of the region
// @param w: int 0..65535 = 0 — width (0 = to the right edge)
// @param h: int 0..65535 = 0 — height (0 = to the bottom edge)
#include "kplug/image.h"

int crop_transform(const image *in, image *out, const params *p) {
  int x = p->x, y = p->y;
  if (x < 0 || y < 0 || x >= in->width || y >= in->height) return IMAGE_EPARAM;
  if (p->w < 0 || p->h < 0) return IMAGE_EPARAM;
  int w = p->w == 0 || p->w > in->width - x ? in->width - x : p->w;
  int h = p->h == 0 || p->h > in->height - y ? in->height - y : p->h;
  out->width = w;
  out->height = h;
  out->channels = in->channels;
  out->stride = in->stride;
  out->pixels = in->pixels + y * in->stride + x * in->channels;
  return IMAGE_OK;
}
