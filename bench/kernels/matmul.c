/* matmul: C = A * B for n x n doubles (i-k-j order); checksum of the scaled sum of C. */
#include <stdint.h>
#include <stdlib.h>

static double *ma;
static double *mb;
static double *mc;

int setup(int n) {
  ma = (double *)malloc((size_t)n * n * sizeof(double));
  mb = (double *)malloc((size_t)n * n * sizeof(double));
  mc = (double *)malloc((size_t)n * n * sizeof(double));
  if (!ma || !mb || !mc) return 1;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      ma[i * n + j] = (double)((i * 7 + j * 3) % 17) / 8.0 - 1.0;
      mb[i * n + j] = (double)((i * 5 + j * 11) % 13) / 4.0 - 1.5;
    }
  }
  return 0;
}

uint32_t run(int n) {
  for (int i = 0; i < n * n; i++) mc[i] = 0.0;
  for (int i = 0; i < n; i++) {
    double *ci = mc + i * n;
    for (int k = 0; k < n; k++) {
      double aik = ma[i * n + k];
      const double *bk = mb + k * n;
      for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
    }
  }
  uint32_t h = 0;
  for (int i = 0; i < n * n; i++) {
    int64_t v = (int64_t)(mc[i] * 1024.0);
    h = h * 31u + (uint32_t)v + (uint32_t)(v >> 32);
  }
  return h;
}
