/* Loops indexing pointers below their own address (a[x - 1]): rebased once per loop, with the
 * pointer changing between loops, inside loops (not rebased), by address, and at wide types. */
#include <stdint.h>
#include <stdio.h>

static uint8_t img[12][16];
static int32_t vals[64];

static unsigned box(int y) {
  const uint8_t *up = img[y - 1], *mid = img[y], *down = img[y + 1];
  unsigned s = 0;
  for (int x = 1; x < 15; x++) {
    unsigned v = up[x - 1] + up[x] + up[x + 1] + mid[x - 1] + mid[x + 1] + down[x - 1] +
                 down[x] + down[x + 1];
    s = s * 33u + v / 8u;
  }
  return s;
}

static int wide(const int32_t *p, int n) {
  int s = 0;
  for (int i = 2; i < n; i++) s += p[i - 2] * 3 - p[i - 1] + p[i] + p[i + 1];
  const int32_t *q = p + 10;
  int j = 0;
  while (j < 5) {
    s ^= q[j - 3] + q[-1] + *(q + j - 7);
    j++;
  }
  return s;
}

static int moving(const int32_t *p) {
  int s = 0;
  for (int i = 0; i < 6; i++) {
    s += p[i - 1] + p[i];
    p += 2; /* written in the loop: not rebased */
  }
  return s;
}

static intptr_t addresses(const int32_t *p) {
  intptr_t d = 0;
  for (int i = 1; i < 4; i++) d += &p[i - 1] - p + (&p[i + 2] - &p[i - 1]);
  return d;
}

int main(void) {
  for (int y = 0; y < 12; y++)
    for (int x = 0; x < 16; x++) img[y][x] = (uint8_t)(y * 31 + x * 17 + (x ^ y));
  for (int i = 0; i < 64; i++) vals[i] = i * i - 100;
  unsigned h = 0;
  for (int y = 1; y < 11; y++) h = h * 7u + box(y);
  int nested = 0;
  for (int i = 1; i < 8; i++) {
    const int32_t *row = vals + i * 4;
    for (int k = 2; k < 4; k++) nested += row[k - 2] - row[k - 1];
  }
  printf("%u %d %d %d %ld\n", h, wide(vals + 4, 20), moving(vals + 8), nested,
         (long)addresses(vals + 5));
  return 0;
}
