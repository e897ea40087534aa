#include <stdio.h>

static long long mix(int a, long long b, double c, char d, float e, short f, unsigned g, long long h, double i,
                     unsigned char j, int k, double l) {
  printf("a=%d b=%lld c=%.2f d=%c e=%.2f f=%d g=%u h=%lld i=%.3f j=%u k=%d l=%.1f\n", a, b, c, d, e, f, g, h, i, j, k, l);
  return a + b + (long long)c + d + (long long)e + f + g + h + (long long)i + j + k + (long long)l;
}

static double sum10(double a, double b, double c, double d, double e, double f, double g, double h, double i, double j) {
  return a + b + c + d + e + f + g + h + i + j;
}

static int sum16(int a, int b, int c, int d, int e, int f, int g, int h, int i, int j, int k, int l, int m, int n,
                 int o, int p) {
  return a - b + c - d + e - f + g - h + i - j + k - l + m - n + o - p;
}

int main(void) {
  long long r = mix(1, 2000000000000LL, 3.5, 'x', 4.25f, -6, 4000000000u, -8LL, 9.125, 250, -11, 12.75);
  printf("r=%lld\n", r);
  printf("sum10=%.2f\n", sum10(0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5));
  printf("sum16=%d\n", sum16(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16));
  printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d %d\n", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
         12, 13, 14, 15, 16, 17, 18, 19, 20);
  printf("%f %f %f %f %f %f %f %f %f %f\n", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
  return (int)(r & 0x7f);
}
