#include <stdio.h>
#include <math.h>

int main(void) {
  const double PI = 3.14159265358979323846;
  for (int i = 0; i <= 8; i++) {
    double a = i * PI / 8;
    printf("a=%.4f sin=%.9f cos=%.9f\n", a, sin(a), cos(a));
  }
  double ts[] = {0.1, 0.5, 1.0, -0.7, 1.4};
  for (int i = 0; i < 5; i++) printf("tan(%g)=%.9f\n", ts[i], tan(ts[i]));
  double es[] = {0, 1, -1, 2.5, 10, -10, 0.001};
  for (int i = 0; i < 7; i++) printf("exp(%g)=%.9g\n", es[i], exp(es[i]));
  double ls[] = {1, 2, 10, 0.5, 1000, 123.456, 1e-5};
  for (int i = 0; i < 7; i++) printf("log(%g)=%.9f log2=%.9f log10=%.9f\n", ls[i], log(ls[i]), log2(ls[i]), log10(ls[i]));
  printf("pow: %.9g %.9g %.9g %.9g %.9g %.9g\n", pow(2, 10), pow(2, 0.5), pow(10, -3), pow(-2, 3), pow(1.0001, 10000), pow(0, 0));
  double as[] = {-1, -0.5, 0, 0.5, 1};
  for (int i = 0; i < 5; i++) printf("asin(%g)=%.9f acos=%.9f atan=%.9f\n", as[i], asin(as[i]), acos(as[i]), atan(as[i]));
  printf("atan2: %.9f %.9f %.9f %.9f\n", atan2(1, 1), atan2(1, -1), atan2(-1, -1), atan2(0, -1));
  double hs[] = {0, 0.5, -1, 2};
  for (int i = 0; i < 4; i++) printf("sinh(%g)=%.9f cosh=%.9f tanh=%.9f\n", hs[i], sinh(hs[i]), cosh(hs[i]), tanh(hs[i]));
  /* numerical integration of sin over [0, pi] */
  int n = 1000;
  double h = PI / n, s = 0;
  for (int i = 0; i < n; i++) s += sin((i + 0.5) * h) * h;
  printf("integral=%.8f\n", s);
  return (int)round(s * 10);
}
