#include <stdio.h>
#include <stdlib.h>

#define N 4096

int main(void) {
  unsigned char *px = malloc(N);
  unsigned s = 99;
  for (int i = 0; i < N; i++) {
    s = s * 1103515245u + 12345u;
    int noise = (int)((s >> 16) % 31) - 15;
    int base = (i % 64) < 24 ? 60 : 180; /* bimodal */
    px[i] = (unsigned char)(base + noise);
  }
  int hist[256] = {0};
  for (int i = 0; i < N; i++) hist[px[i]]++;
  double sum = 0;
  for (int t = 0; t < 256; t++) sum += t * (double)hist[t];
  double sumB = 0, best = -1;
  int wB = 0, thresh = 0;
  for (int t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB == 0) continue;
    int wF = N - wB;
    if (wF == 0) break;
    sumB += t * (double)hist[t];
    double mB = sumB / wB, mF = (sum - sumB) / wF;
    double between = (double)wB * wF * (mB - mF) * (mB - mF);
    if (between > best) { best = between; thresh = t; }
  }
  int fg = 0;
  for (int i = 0; i < N; i++) fg += px[i] > thresh;
  printf("threshold=%d foreground=%d\n", thresh, fg);
  free(px);
  return thresh;
}
