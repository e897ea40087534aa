#include <stdio.h>
#include <stdlib.h>

/* fixed-point (16.16) bilinear downscale of an RGB image */
typedef struct { int w, h; unsigned char *px; } Image;

static Image make(int w, int h) {
  Image im = {w, h, malloc((size_t)w * h * 3)};
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      unsigned char *p = im.px + 3 * (y * w + x);
      p[0] = (unsigned char)(x * 7 + y);
      p[1] = (unsigned char)(y * 5);
      p[2] = (unsigned char)((x ^ y) * 3);
    }
  return im;
}

static Image resize(Image src, int w, int h) {
  Image dst = {w, h, malloc((size_t)w * h * 3)};
  int sx = ((src.w - 1) << 16) / (w - 1);
  int sy = ((src.h - 1) << 16) / (h - 1);
  for (int y = 0; y < h; y++) {
    int fy = y * sy;
    int y0 = fy >> 16, wy = fy & 0xffff;
    int y1 = y0 + 1 < src.h ? y0 + 1 : y0;
    for (int x = 0; x < w; x++) {
      int fx = x * sx;
      int x0 = fx >> 16, wx = fx & 0xffff;
      int x1 = x0 + 1 < src.w ? x0 + 1 : x0;
      for (int c = 0; c < 3; c++) {
        int a = src.px[3 * (y0 * src.w + x0) + c], b = src.px[3 * (y0 * src.w + x1) + c];
        int cc = src.px[3 * (y1 * src.w + x0) + c], d = src.px[3 * (y1 * src.w + x1) + c];
        long long top = (long long)a * (65536 - wx) + (long long)b * wx;
        long long bot = (long long)cc * (65536 - wx) + (long long)d * wx;
        long long v = (top * (65536 - wy) + bot * wy + (1LL << 31)) >> 32;
        dst.px[3 * (y * w + x) + c] = (unsigned char)v;
      }
    }
  }
  return dst;
}

int main(void) {
  Image src = make(81, 61);
  Image dst = resize(src, 20, 15);
  unsigned hash = 5381;
  for (int i = 0; i < dst.w * dst.h * 3; i++) hash = hash * 33 + dst.px[i];
  printf("hash=%u\n", hash);
  for (int y = 0; y < dst.h; y += 4) {
    for (int x = 0; x < dst.w; x += 4) {
      unsigned char *p = dst.px + 3 * (y * dst.w + x);
      printf("(%3d,%3d,%3d) ", p[0], p[1], p[2]);
    }
    printf("\n");
  }
  free(src.px);
  free(dst.px);
  return (int)(hash & 0xff);
}
