/* blur: 3x3 box blur of a generated 512x512 gray image, n passes ping-ponging two buffers. */
#include <stdint.h>
#include <stdlib.h>

#define W 512
#define H 512

static uint8_t *img_a;
static uint8_t *img_b;

int setup(int n) {
  (void)n;
  img_a = (uint8_t *)malloc(W * H);
  img_b = (uint8_t *)malloc(W * H);
  if (!img_a || !img_b) return 1;
  return 0;
}

static void generate(uint8_t *img) {
  uint32_t s = 12345u;
  for (int i = 0; i < W * H; i++) {
    s = s * 1664525u + 1013904223u;
    img[i] = (uint8_t)((s >> 24) ^ (i & 0xff));
  }
}

static void blur_pass(const uint8_t *src, uint8_t *dst) {
  for (int x = 0; x < W; x++) {
    dst[x] = src[x];
    dst[(H - 1) * W + x] = src[(H - 1) * W + x];
  }
  for (int y = 1; y < H - 1; y++) {
    const uint8_t *up = src + (y - 1) * W;
    const uint8_t *mid = src + y * W;
    const uint8_t *down = src + (y + 1) * W;
    uint8_t *out = dst + y * W;
    out[0] = mid[0];
    out[W - 1] = mid[W - 1];
    for (int x = 1; x < W - 1; x++) {
      uint32_t sum = (uint32_t)up[x - 1] + up[x] + up[x + 1] + mid[x - 1] + mid[x] + mid[x + 1] +
                     down[x - 1] + down[x] + down[x + 1];
      out[x] = (uint8_t)(sum / 9);
    }
  }
}

uint32_t run(int n) {
  generate(img_a);
  for (int i = 0; i < n; i++) {
    blur_pass(img_a, img_b);
    uint8_t *t = img_a;
    img_a = img_b;
    img_b = t;
  }
  uint32_t h = 2166136261u;
  for (int i = 0; i < W * H; i++) h = (h ^ img_a[i]) * 16777619u;
  return h;
}
