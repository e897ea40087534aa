#include <stdio.h>

static double horner(const double *c, int n, double x) {
  double r = 0;
  for (int i = n - 1; i >= 0; i--) r = r * x + c[i];
  return r;
}

int main(void) {
  double a = 0.1, b = 0.2;
  printf("%.17g\n", a + b);
  printf("eq=%d\n", a + b == 0.3);
  double c[] = {1, -3, 0.5, 2};
  for (int i = -2; i <= 2; i++) printf("p(%d)=%.6f\n", i, horner(c, 4, i));
  double h = 0;
  for (int i = 1; i <= 1000; i++) h += 1.0 / i;
  printf("H1000=%.12f\n", h);
  double big = 1e300;
  printf("big*10=%g big*1e10=%g\n", big * 10, big * 1e10);
  double small = 1e-300;
  printf("small/1e10=%g small/1e100=%g\n", small / 1e10, small / 1e100);
  double neg_zero = -0.0;
  printf("negzero=%f %g 1/negzero<0=%d\n", neg_zero, neg_zero, 1 / neg_zero < 0);
  double pi = 3.14159265358979323846;
  printf("pi=%.15f\n", pi);
  double x = 1;
  int it = 0;
  while (x + 1 != 1) { x /= 2; it++; }
  printf("epsilon iterations=%d\n", it);
  long long n = 1LL << 53;
  double dn = (double)n;
  printf("2^53+1 -> %.1f\n", dn + 1);
  return it;
}
