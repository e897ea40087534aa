#include <stdio.h>

int main(void) {
  double vals[] = {0.0, 1.0, -1.0, 0.5, 3.14159265358979, -2.718281828459045, 100.0, 123456.789,
                   0.000123456, 1e-10, 1e10, 6.02214076e23, 1.5e-7, 999999.4, 0.1};
  for (int i = 0; i < 15; i++) {
    double d = vals[i];
    printf("f=%f e=%e g=%g E=%E G=%G\n", d, d, d, d, d);
    printf("  %.0f %.1f %.3f %.10f | %.0e %.2e | %.1g %.3g %.10g\n", d, d, d, d, d, d, d, d, d);
    printf("  [%12.4f][%-12.4f][%+.2f][% .2f][%012.3f][%#.0f][%#g][%#.3g]\n", d, d, d, d, d, d, d, d);
  }
  printf("%g %g %g %g %g\n", 100000.0, 1000000.0, 0.0001, 0.00001, 123456789.0);
  /* carry into a new digit; glibc gets %#g wrong here (prints "1.e+06"), so no # flag */
  printf("%.0f %g %e %.2g %G\n", 999999.5, 999999.5, 999999.5, 999999.5, 999999.5);
  printf("%G %G\n", 1e-20, 1e20);
  printf("%.15g %.16g %.17g\n", 0.1, 0.1, 0.1);
  float f = 0.1f;
  printf("float promoted: %.10f %g\n", f, f);
  printf("%e\n", 0.0);
  printf("%.3e %.3e\n", 9.9996, 9.9994);
  printf("%5.1f|%-7.2f|%07.2f\n", -0.05, 2.345, -1.5);
  return 0;
}
