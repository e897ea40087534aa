#include <stdio.h>
#include <math.h>

#define N 64

typedef struct { double re, im; } C;

static C cadd(C a, C b) { return (C){a.re + b.re, a.im + b.im}; }
static C csub(C a, C b) { return (C){a.re - b.re, a.im - b.im}; }
static C cmul(C a, C b) { return (C){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }

static void fft(C *x, int n) {
  for (int i = 1, j = 0; i < n; i++) {
    int bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) { C t = x[i]; x[i] = x[j]; x[j] = t; }
  }
  for (int len = 2; len <= n; len <<= 1) {
    double ang = -2 * 3.14159265358979323846 / len;
    C wl = {cos(ang), sin(ang)};
    for (int i = 0; i < n; i += len) {
      C w = {1, 0};
      for (int k = 0; k < len / 2; k++) {
        C u = x[i + k], v = cmul(x[i + k + len / 2], w);
        x[i + k] = cadd(u, v);
        x[i + k + len / 2] = csub(u, v);
        w = cmul(w, wl);
      }
    }
  }
}

int main(void) {
  C x[N];
  for (int i = 0; i < N; i++) {
    double t = (double)i / N;
    x[i].re = 3 * cos(2 * 3.14159265358979323846 * 5 * t) + sin(2 * 3.14159265358979323846 * 12 * t) + 0.5;
    x[i].im = 0;
  }
  fft(x, N);
  int peaks = 0;
  for (int k = 0; k < N; k++) {
    double mag = sqrt(x[k].re * x[k].re + x[k].im * x[k].im);
    if (mag > 1.0) {
      printf("bin %2d magnitude %.4f\n", k, mag);
      peaks++;
    }
  }
  printf("peaks=%d\n", peaks);
  return peaks;
}
