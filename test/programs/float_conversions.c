#include <stdio.h>

int main(void) {
  double vals[] = {0.0, 0.4, 0.5, 0.6, 1.5, 2.5, -0.4, -0.5, -1.5, -2.7, 123456.789, -98765.4321,
                   2147483647.0, -2147483648.0, 1e9};
  for (int i = 0; i < 15; i++) {
    double v = vals[i];
    printf("%.4f -> int %d, float %.4f\n", v, (int)v, (float)v);
  }
  /* int -> float rounding */
  int ints[] = {16777217, 16777219, 2147483647, -2147483647, 123456789};
  for (int i = 0; i < 5; i++) printf("%d -> float %.1f -> double %.1f\n", ints[i], (float)ints[i], (double)ints[i]);
  /* double -> float rounding */
  double d = 0.1;
  float f = (float)d;
  printf("0.1 float=%.12f double=%.20f diff=%.3g\n", f, d, d - f);
  /* float -> double exact */
  float f2 = 1.0f / 3.0f;
  double d2 = f2;
  printf("f2=%.17g\n", d2);
  /* unsigned conversions */
  unsigned u = 4000000000u;
  printf("u->double=%.1f u->float=%.1f\n", (double)u, (float)u);
  double du = 3999999999.9;
  printf("double->unsigned=%u\n", (unsigned)du);
  /* long long */
  long long ll = 9007199254740993LL;
  printf("ll->double=%.1f\n", (double)ll);
  double dll = -9.2e18;
  printf("double->ll=%lld\n", (long long)dll);
  unsigned long long ull = 18446744073709549568ULL;
  printf("ull->double=%.1f\n", (double)ull);
  double dull = 1.8e19;
  printf("double->ull=%llu\n", (unsigned long long)dull);
  /* char/short from float */
  float ff = 100.9f;
  char c = (char)ff;
  short s = (short)-ff;
  printf("c=%d s=%d\n", c, s);
  /* implicit conversion in assignment and arguments */
  int from_double = 7.99;
  double from_int = 7;
  printf("%d %.2f\n", from_double, from_int);
  return from_double;
}
