#include <stdio.h>
#include <stdlib.h>
#include <math.h>

#define W 96
#define H 64

static int isqrt(int v) {
  int r = 0;
  while ((r + 1) * (r + 1) <= v) r++;
  return r;
}

int main(void) {
  unsigned char *img = malloc(W * H), *edges = malloc(W * H);
  /* a filled circle and a diagonal band */
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int dx = x - 40, dy = y - 30;
      int v = dx * dx + dy * dy < 400 ? 200 : 40;
      if (x - y > 50 && x - y < 60) v = 255;
      img[y * W + x] = (unsigned char)v;
    }
  int strong = 0;
  double energy = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      if (x == 0 || y == 0 || x == W - 1 || y == H - 1) { edges[y * W + x] = 0; continue; }
      const unsigned char *p = img + y * W + x;
      int gx = -p[-W - 1] - 2 * p[-1] - p[W - 1] + p[-W + 1] + 2 * p[1] + p[W + 1];
      int gy = -p[-W - 1] - 2 * p[-W] - p[-W + 1] + p[W - 1] + 2 * p[W] + p[W + 1];
      int mag = isqrt(gx * gx + gy * gy);
      energy += sqrt((double)(gx * gx + gy * gy));
      if (mag > 255) mag = 255;
      edges[y * W + x] = (unsigned char)mag;
      if (mag > 128) strong++;
    }
  printf("strong=%d energy=%.3f\n", strong, energy);
  for (int y = 18; y < 44; y += 2) {
    for (int x = 24; x < 72; x++) putchar(edges[y * W + x] > 128 ? '#' : edges[y * W + x] > 0 ? '.' : ' ');
    putchar('\n');
  }
  free(img);
  free(edges);
  return strong & 0xff;
}
