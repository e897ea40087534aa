#include <stdio.h>
#include <stdlib.h>

/* 24-bit RGB -> 8-bit grayscale, the paper's plugin workload */
#define W 160
#define H 120

static unsigned char luma(unsigned char r, unsigned char g, unsigned char b) {
  return (unsigned char)((r * 77 + g * 150 + b * 29) >> 8);
}

static void make_image(unsigned char *rgb, int w, int h) {
  unsigned seed = 1;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      seed = seed * 1664525u + 1013904223u;
      unsigned char *p = rgb + 3 * (y * w + x);
      p[0] = (unsigned char)((x * 255) / (w - 1));
      p[1] = (unsigned char)((y * 255) / (h - 1));
      p[2] = (unsigned char)(seed >> 24);
    }
}

static void grayscale(const unsigned char *rgb, unsigned char *gray, int n) {
  for (int i = 0; i < n; i++, rgb += 3) gray[i] = luma(rgb[0], rgb[1], rgb[2]);
}

int main(void) {
  unsigned char *rgb = malloc(W * H * 3);
  unsigned char *gray = malloc(W * H);
  make_image(rgb, W, H);
  grayscale(rgb, gray, W * H);
  unsigned hist[8] = {0};
  unsigned long sum = 0;
  unsigned hash = 2166136261u;
  for (int i = 0; i < W * H; i++) {
    hist[gray[i] >> 5]++;
    sum += gray[i];
    hash = (hash ^ gray[i]) * 16777619u;
  }
  printf("mean=%lu hash=%08x\n", sum / (W * H), hash);
  for (int i = 0; i < 8; i++) printf("bin%d=%u\n", i, hist[i]);
  for (int y = 0; y < H; y += 30) {
    for (int x = 0; x < W; x += 20) printf("%4d", gray[y * W + x]);
    printf("\n");
  }
  int ret = gray[(H / 2) * W + W / 2];
  free(rgb);
  free(gray);
  return ret;
}
