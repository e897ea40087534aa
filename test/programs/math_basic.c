#include <stdio.h>
#include <math.h>

int main(void) {
  double xs[] = {0.0, 0.3, 0.5, 1.5, 2.5, -0.3, -0.5, -1.5, -2.5, 7.999, -7.999, 1e15 + 0.5};
  for (int i = 0; i < 12; i++) {
    double x = xs[i];
    printf("x=%g floor=%g ceil=%g round=%g trunc=%g fabs=%g\n", x, floor(x), ceil(x), round(x),
           trunc(x), fabs(x));
  }
  double sq[] = {0, 1, 2, 4, 10, 1e-8, 12345.678, 1e300};
  for (int i = 0; i < 8; i++) printf("sqrt(%g)=%.15g\n", sq[i], sqrt(sq[i]));
  printf("fmod: %g %g %g %g %g\n", fmod(7.5, 2), fmod(-7.5, 2), fmod(7.5, -2), fmod(1e10, 3), fmod(0.3, 0.1));
  printf("round(-0.4)=%g ceil(-0.5)=%g trunc(-0.9)=%g\n", round(-0.4), ceil(-0.5), trunc(-0.9));
  printf("fmin=%g fmax=%g\n", fmin(3, -2), fmax(3, -2));
  printf("hypot=%g\n", hypot(3, 4));
  int checks = 0;
  for (int i = 0; i < 100; i++) {
    double v = i * 0.37 - 18;
    if (floor(v) <= v && ceil(v) >= v && trunc(v) == (double)(long long)v) checks++;
  }
  printf("checks=%d\n", checks);
  return checks;
}
