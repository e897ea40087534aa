/* sobel: gradient magnitude (|gx| + |gy|, clamped) of a generated 512x512 image, n passes. */
#include <stdint.h>
#include <stdlib.h>

#define W 512
#define H 512

static uint8_t *src_img;
static uint8_t *edges;

int setup(int n) {
  (void)n;
  src_img = (uint8_t *)malloc(W * H);
  edges = (uint8_t *)malloc(W * H);
  if (!src_img || !edges) return 1;
  uint32_t s = 777u;
  for (int y = 0; y < H; y++) {
    for (int x = 0; x < W; x++) {
      s = s * 1103515245u + 12345u;
      /* Smooth shapes plus noise, so gradients take every magnitude. */
      int v = ((x * y) >> 7) + ((x ^ y) & 63) + (int)((s >> 27) & 15);
      src_img[y * W + x] = (uint8_t)v;
    }
  }
  return 0;
}

static int iabs(int v) { return v < 0 ? -v : v; }

static void sobel_pass(const uint8_t *in, uint8_t *out) {
  for (int y = 1; y < H - 1; y++) {
    const uint8_t *a = in + (y - 1) * W;
    const uint8_t *b = in + y * W;
    const uint8_t *c = in + (y + 1) * W;
    uint8_t *o = out + y * W;
    for (int x = 1; x < W - 1; x++) {
      int gx = (a[x + 1] + 2 * b[x + 1] + c[x + 1]) - (a[x - 1] + 2 * b[x - 1] + c[x - 1]);
      int gy = (c[x - 1] + 2 * c[x] + c[x + 1]) - (a[x - 1] + 2 * a[x] + a[x + 1]);
      int m = iabs(gx) + iabs(gy);
      o[x] = (uint8_t)(m > 255 ? 255 : m);
    }
  }
}

uint32_t run(int n) {
  uint32_t h = 0;
  for (int i = 0; i < n; i++) {
    sobel_pass(src_img, edges);
    for (int y = 1; y < H - 1; y++) {
      for (int x = 1; x < W - 1; x++) h = h * 31u + edges[y * W + x];
    }
  }
  return h;
}
