/* gray1210: the paper's plugin (plugins/grayscale.c, included verbatim) on a generated
 * 1210x910 RGB image, n conversions per run; checksum samples the output. */
#include <stdint.h>
#include <stdlib.h>

#include "grayscale.c"

#define IMG_W 1210
#define IMG_H 910

static uint8_t *rgb;
static uint8_t *gray;

int setup(int n) {
  (void)n;
  rgb = (uint8_t *)malloc(IMG_W * IMG_H * 3);
  gray = (uint8_t *)malloc(IMG_W * IMG_H);
  if (!rgb || !gray) return 1;
  uint32_t s = 99u;
  for (int y = 0; y < IMG_H; y++) {
    for (int x = 0; x < IMG_W; x++) {
      s = s * 1664525u + 1013904223u;
      uint8_t *p = rgb + (y * IMG_W + x) * 3;
      p[0] = (uint8_t)(x * 255 / IMG_W + (s >> 29));
      p[1] = (uint8_t)(y * 255 / IMG_H + ((s >> 26) & 7));
      p[2] = (uint8_t)(s >> 24);
    }
  }
  return 0;
}

uint32_t run(int n) {
  for (int i = 0; i < n; i++) {
    if (grayscale(rgb, gray, IMG_W, IMG_H, IMG_W * 3) != 0) return 0xBAD6AA7u;
  }
  uint32_t h = 0;
  for (int i = 0; i < IMG_W * IMG_H; i += 61) h = h * 31u + gray[i];
  return h;
}
