#include <stdio.h>
#include <stdlib.h>

typedef struct { int size; int divisor; int bias; int k[25]; const char *name; } Kernel;

static void convolve(const unsigned char *src, unsigned char *dst, int w, int h, const Kernel *k) {
  int r = k->size / 2;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      int acc = 0;
      for (int j = -r; j <= r; j++)
        for (int i = -r; i <= r; i++) {
          int yy = y + j < 0 ? -(y + j) : y + j >= h ? 2 * h - 2 - (y + j) : y + j; /* mirror */
          int xx = x + i < 0 ? -(x + i) : x + i >= w ? 2 * w - 2 - (x + i) : x + i;
          acc += src[yy * w + xx] * k->k[(j + r) * k->size + (i + r)];
        }
      int v = acc / k->divisor + k->bias;
      dst[y * w + x] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
}

int main(void) {
  const int w = 64, h = 48;
  unsigned char *src = malloc(w * h), *dst = malloc(w * h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) src[y * w + x] = (unsigned char)((x * x + y * 3) % 256 ^ (x * y >> 4));
  static const Kernel kernels[] = {
    {3, 1, 0, {0, -1, 0, -1, 5, -1, 0, -1, 0}, "sharpen"},
    {3, 1, 128, {-2, -1, 0, -1, 1, 1, 0, 1, 2}, "emboss"},
    {3, 1, 0, {-1, -1, -1, -1, 8, -1, -1, -1, -1}, "edges"},
    {5, 256, 0, {1, 4, 6, 4, 1, 4, 16, 24, 16, 4, 6, 24, 36, 24, 6, 4, 16, 24, 16, 4, 1, 4, 6, 4, 1}, "gauss5"},
  };
  int result = 0;
  for (unsigned n = 0; n < sizeof kernels / sizeof kernels[0]; n++) {
    convolve(src, dst, w, h, &kernels[n]);
    unsigned hash = 0;
    long sum = 0;
    for (int i = 0; i < w * h; i++) { hash = hash * 131 + dst[i]; sum += dst[i]; }
    printf("%-8s hash=%08x mean=%ld corner=%d center=%d\n", kernels[n].name, hash, sum / (w * h), dst[0], dst[24 * w + 32]);
    result ^= (int)hash;
  }
  free(src);
  free(dst);
  return result & 0xff;
}
