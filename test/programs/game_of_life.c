#include <stdio.h>
#include <string.h>

#define W 40
#define H 20

static unsigned char a[H][W], b[H][W];

static int neighbors(unsigned char g[H][W], int y, int x) {
  int n = 0;
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++) {
      if (!dy && !dx) continue;
      int yy = (y + dy + H) % H, xx = (x + dx + W) % W; /* torus */
      n += g[yy][xx];
    }
  return n;
}

static void step(unsigned char src[H][W], unsigned char dst[H][W]) {
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int n = neighbors(src, y, x);
      dst[y][x] = (unsigned char)(n == 3 || (n == 2 && src[y][x]));
    }
}

static int population(unsigned char g[H][W]) {
  int p = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) p += g[y][x];
  return p;
}

int main(void) {
  /* glider + blinker + r-pentomino */
  a[1][2] = a[2][3] = a[3][1] = a[3][2] = a[3][3] = 1;
  a[10][30] = a[10][31] = a[10][32] = 1;
  a[12][15] = a[12][16] = a[13][14] = a[13][15] = a[14][15] = 1;
  for (int gen = 0; gen < 100; gen++) {
    if (gen % 25 == 0) printf("gen %d pop %d\n", gen, population(a));
    step(a, b);
    memcpy(a, b, sizeof a);
  }
  for (int y = 0; y < H; y++) {
    for (int x = 0; x < W; x++) putchar(a[y][x] ? 'o' : '.');
    putchar('\n');
  }
  int p = population(a);
  printf("final pop %d\n", p);
  return p;
}
