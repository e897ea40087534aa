#include <stdio.h>
#include <stdlib.h>

#define W 64
#define H 32

/* Floyd-Steinberg error diffusion to 1 bit, and ordered (Bayer) dithering */
int main(void) {
  int *buf = malloc(sizeof(int) * W * H);
  unsigned char *gray = malloc(W * H);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) gray[y * W + x] = (unsigned char)((x * 4 + y * 2) % 256);
  for (int i = 0; i < W * H; i++) buf[i] = gray[i];
  int ones = 0;
  for (int y = 0; y < H; y++) {
    for (int x = 0; x < W; x++) {
      int old = buf[y * W + x];
      int nw = old >= 128 ? 255 : 0;
      int err = old - nw;
      buf[y * W + x] = nw;
      ones += nw != 0;
      if (x + 1 < W) buf[y * W + x + 1] += err * 7 / 16;
      if (y + 1 < H) {
        if (x > 0) buf[(y + 1) * W + x - 1] += err * 3 / 16;
        buf[(y + 1) * W + x] += err * 5 / 16;
        if (x + 1 < W) buf[(y + 1) * W + x + 1] += err * 1 / 16;
      }
    }
  }
  printf("fs ones=%d\n", ones);
  for (int y = 0; y < 8; y++) {
    for (int x = 0; x < W; x++) putchar(buf[y * W + x] ? '#' : '.');
    putchar('\n');
  }
  static const int bayer[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};
  int ones2 = 0;
  unsigned hash = 0;
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) {
      int t = bayer[y & 3][x & 3] * 16 + 8;
      int bit = gray[y * W + x] > t;
      ones2 += bit;
      hash = (hash << 1 | hash >> 31) ^ (unsigned)bit;
    }
  printf("bayer ones=%d hash=%08x\n", ones2, hash);
  free(buf);
  free(gray);
  return (ones + ones2) & 0xff;
}
