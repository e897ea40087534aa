#include <stdio.h>
#include <string.h>

#define W 7
#define H 5

static void rot90(const int *src, int *dst, int w, int h) {
  /* dst is h x w: dst[x][h-1-y] = src[y][x] */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) dst[x * h + (h - 1 - y)] = src[y * w + x];
}

static void flip_h(int *img, int w, int h) {
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w / 2; x++) {
      int t = img[y * w + x];
      img[y * w + x] = img[y * w + w - 1 - x];
      img[y * w + w - 1 - x] = t;
    }
}

static void print(const int *img, int w, int h) {
  for (int y = 0; y < h; y++) {
    for (int x = 0; x < w; x++) printf("%3d", img[y * w + x]);
    printf("\n");
  }
  printf("--\n");
}

int main(void) {
  int a[W * H], b[W * H], c[W * H];
  for (int i = 0; i < W * H; i++) a[i] = i;
  print(a, W, H);
  rot90(a, b, W, H);
  print(b, H, W);
  rot90(b, c, H, W);
  print(c, W, H);
  flip_h(c, W, H);
  print(c, W, H);
  /* four rotations return to start */
  int d[W * H], e[W * H];
  rot90(c, d, W, H);
  rot90(d, e, H, W);
  rot90(e, d, W, H);
  rot90(d, e, H, W);
  printf("identity=%d\n", memcmp(c, e, sizeof c) == 0);
  return c[0] + b[W * H - 1];
}
