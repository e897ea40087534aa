#include <stdio.h>

static long long gcd(long long a, long long b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b) { long long t = a % b; a = b; b = t; }
  return a;
}

static long long ext_gcd(long long a, long long b, long long *x, long long *y) {
  if (b == 0) { *x = 1; *y = 0; return a; }
  long long x1, y1;
  long long g = ext_gcd(b, a % b, &x1, &y1);
  *x = y1;
  *y = x1 - (a / b) * y1;
  return g;
}

static int phi(int n) {
  int r = n;
  for (int p = 2; p * p <= n; p++)
    if (n % p == 0) {
      while (n % p == 0) n /= p;
      r -= r / p;
    }
  if (n > 1) r -= r / n;
  return r;
}

int main(void) {
  long long pairs[][2] = {{48, 18}, {-48, 18}, {17, 5}, {1000000007LL * 3, 1000000007LL * 7}, {0, 9}, {270, 192}};
  for (int i = 0; i < 6; i++) {
    long long a = pairs[i][0], b = pairs[i][1], x, y;
    long long g = ext_gcd(a, b, &x, &y);
    long long l = g ? a / gcd(a, b) * b : 0;
    printf("gcd(%lld,%lld)=%lld lcm=%lld bezout: %lld*%lld + %lld*%lld = %lld\n", a, b, gcd(a, b), l, a, x, b, y,
           a * x + b * y);
  }
  long long l = 1;
  for (int i = 1; i <= 40; i++) l = l / gcd(l, i) * i;
  printf("lcm(1..40)=%lld\n", l);
  int s = 0;
  for (int n = 1; n <= 30; n++) { printf("%d ", phi(n)); s += phi(n); }
  printf("\nsum phi=%d\n", s);
  return s;
}
