/* blur: box blur of radius r (1..32) with clamp-to-edge sampling: each sample becomes the
 * rounded mean, (sum + n / 2) / n, of the (2r+1) x (2r+1) window around it. Exact integer
 * sums in two separable passes with running windows, so the cost does not grow with r. */
// @param radius: int 1..32 = 1 — blur radius r: each sample is the mean of a (2r+1)² window
#include "kplug/image.h"

static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

int blur_transform(const image *in, image *out, const params *p) {
  int r = p->radius;
  if (r < 1 || r > 32) return IMAGE_EPARAM;
  int w = in->width, h = in->height, c = in->channels;
  int rc = image_alloc(out, w, h, c);
  if (rc != IMAGE_OK) return rc;
  int *rows = (int *)malloc((size_t)w * h * c * sizeof(int));
  if (!rows) return IMAGE_ENOMEM;
  /* Horizontal window sums. */
  for (int y = 0; y < h; y++) {
    const uint8_t *s = in->pixels + y * in->stride;
    int *d = rows + y * w * c;
    for (int k = 0; k < c; k++) {
      int sum = 0;
      for (int i = -r; i <= r; i++) sum += s[clampi(i, 0, w - 1) * c + k];
      for (int x = 0; x < w; x++) {
        d[x * c + k] = sum;
        sum += s[clampi(x + r + 1, 0, w - 1) * c + k] - s[clampi(x - r, 0, w - 1) * c + k];
      }
    }
  }
  /* Vertical window sums of the horizontal sums, then the rounded mean. */
  int n = (2 * r + 1) * (2 * r + 1);
  int row = w * c;
  for (int i = 0; i < row; i++) {
    int sum = 0;
    for (int j = -r; j <= r; j++) sum += rows[clampi(j, 0, h - 1) * row + i];
    for (int y = 0; y < h; y++) {
      out->pixels[y * out->stride + i] = (uint8_t)((sum + n / 2) / n);
      sum += rows[clampi(y + r + 1, 0, h - 1) * row + i] - rows[clampi(y - r, 0, h - 1) * row + i];
    }
  }
  free(rows);
  return IMAGE_OK;
}
