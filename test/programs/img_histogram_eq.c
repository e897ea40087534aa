#include <stdio.h>
#include <stdlib.h>

#define W 100
#define H 80

int main(void) {
  unsigned char *img = malloc(W * H);
  unsigned s = 12345;
  for (int i = 0; i < W * H; i++) {
    s ^= s << 13; s ^= s >> 17; s ^= s << 5;
    img[i] = (unsigned char)(100 + (s % 41) + (i % W) / 10); /* low contrast */
  }
  unsigned hist[256] = {0};
  for (int i = 0; i < W * H; i++) hist[img[i]]++;
  unsigned cdf[256];
  unsigned acc = 0, cdf_min = 0;
  for (int i = 0; i < 256; i++) {
    acc += hist[i];
    cdf[i] = acc;
    if (!cdf_min && acc) cdf_min = acc;
  }
  unsigned char lut[256];
  for (int i = 0; i < 256; i++) {
    if (cdf[i] < cdf_min) { lut[i] = 0; continue; }
    lut[i] = (unsigned char)(((unsigned long long)(cdf[i] - cdf_min) * 255 + (W * H - cdf_min) / 2) / (W * H - cdf_min));
  }
  int lo = 255, hi = 0, lo2 = 255, hi2 = 0;
  unsigned long sum = 0;
  for (int i = 0; i < W * H; i++) {
    if (img[i] < lo) lo = img[i];
    if (img[i] > hi) hi = img[i];
    img[i] = lut[img[i]];
    if (img[i] < lo2) lo2 = img[i];
    if (img[i] > hi2) hi2 = img[i];
    sum += img[i];
  }
  printf("before [%d,%d] after [%d,%d] mean=%lu\n", lo, hi, lo2, hi2, sum / (W * H));
  for (int i = 100; i < 160; i += 6) printf("lut[%d]=%d\n", i, lut[i]);
  free(img);
  return (int)(sum % 251);
}
