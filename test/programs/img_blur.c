#include <stdio.h>
#include <stdlib.h>

#define W 128
#define H 96

static unsigned char clamp255(int v) { return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v); }

/* separable 5-tap gaussian (1 4 6 4 1)/16 with edge clamping */
static void blur(const unsigned char *src, unsigned char *dst, int w, int h) {
  static const int k[5] = {1, 4, 6, 4, 1};
  int *tmp = malloc(sizeof(int) * w * h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      int s = 0;
      for (int i = -2; i <= 2; i++) {
        int xx = x + i;
        if (xx < 0) xx = 0;
        if (xx >= w) xx = w - 1;
        s += k[i + 2] * src[y * w + xx];
      }
      tmp[y * w + x] = s;
    }
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      int s = 0;
      for (int i = -2; i <= 2; i++) {
        int yy = y + i;
        if (yy < 0) yy = 0;
        if (yy >= h) yy = h - 1;
        s += k[i + 2] * tmp[yy * w + x];
      }
      dst[y * w + x] = clamp255((s + 128) >> 8);
    }
  free(tmp);
}

/* 3x3 box blur, integer division */
static void box(const unsigned char *src, unsigned char *dst, int w, int h) {
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      int s = 0, n = 0;
      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
          int yy = y + dy, xx = x + dx;
          if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
          s += src[yy * w + xx];
          n++;
        }
      dst[y * w + x] = (unsigned char)(s / n);
    }
}

int main(void) {
  unsigned char *img = malloc(W * H), *out = malloc(W * H), *out2 = malloc(W * H);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) img[y * W + x] = (unsigned char)(((x / 8 + y / 8) & 1) ? 220 : 30);
  blur(img, out, W, H);
  box(img, out2, W, H);
  unsigned h1 = 0, h2 = 0;
  for (int i = 0; i < W * H; i++) {
    h1 = h1 * 31 + out[i];
    h2 = h2 * 37 + out2[i];
  }
  printf("gauss hash=%08x box hash=%08x\n", h1, h2);
  for (int x = 0; x < 20; x++) printf("%d ", out[10 * W + x]);
  printf("\n");
  for (int x = 0; x < 20; x++) printf("%d ", out2[10 * W + x]);
  printf("\n");
  int r = out[5 * W + 7];
  free(img);
  free(out);
  free(out2);
  return r;
}
