#include <stdio.h>

/* printf rounds the exact binary value, ties to even (glibc semantics) */
int main(void) {
  double halves[] = {0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.125, 0.375, 2.675, 1.005, 1.115,
                     0.045, 1234.5, 1235.5};
  for (int i = 0; i < 15; i++) {
    double h = halves[i];
    printf("%.0f %.1f %.2f %.3e %.2g\n", h, h, h, h, h);
  }
  printf("%.20f\n", 0.1);
  printf("%.30f\n", 1.0 / 3.0);
  printf("%.0f\n", 1e22);
  printf("%f\n", 1e22);
  printf("%.0f\n", 9007199254740993.0);
  printf("%f\n", 123456789012345678901234567890.0);
  printf("%.25e\n", 1.0 / 7.0);
  printf("%.40f\n", 1e-20);
  printf("%g %g %g\n", 0.00009999995, 0.0000999999, 999999.5);
  printf("%.3g %.3g %.3g\n", 99.95, 99.949, 0.0009995);
  double x = 5e-324;
  printf("%g %.3e\n", x, x);
  printf("%e\n", 1.7976931348623157e308);
  printf("%.17g\n", 1.7976931348623157e308);
  return 0;
}
