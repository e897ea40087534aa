#include <stdio.h>
#include <math.h>
#include <errno.h>
#include <float.h>
int main(void) {
  double v[] = {0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.75, -7.25, 1e300, 5e-324, 2.2250738585072014e-308, 123456.789, 1.0 / 0.0, -1.0 / 0.0};
  for (int i = 0; i < 15; i++) {
    double x = v[i];
    int e;
    double m = frexp(x, &e);
    double ip;
    double fr = modf(x, &ip);
    printf("%a: frexp %a %d modf %a %a rint %a nearbyint %a round %a\n", x, m, e, fr, ip, rint(x), nearbyint(x), round(x));
    if (isfinite(x) && fabs(x) < 1e9) printf("  lround %ld lrint %ld llround %lld llrint %lld\n", lround(x), lrint(x), llround(x), llrint(x));
    printf("  copysign %a %a signbit %d fpclassify %d isnormal %d\n", copysign(3.0, x), copysign(x, -1.0), signbit(x) != 0, fpclassify(x), isnormal(x));
    printf("  nextafter %a %a\n", nextafter(x, 0.0), nextafter(x, 1.0 / 0.0));
  }
  int ns[] = {0, 1, -1, 1023, 1024, -1022, -1074, -1075, 2000, -2000};
  for (int i = 0; i < 10; i++) printf("ldexp %a %a %a\n", ldexp(1.0, ns[i]), ldexp(1.5, ns[i]), ldexp(0.75, ns[i] - 1));
  printf("ldexp round %a %a\n", ldexp(0x1.8p0, -1074), ldexp(0x1.fffffffffffffp0, -1075));
  float fv[] = {1e-40f, 1.5f, -0.0f, FLT_MIN, FLT_MAX};
  for (int i = 0; i < 5; i++) {
    int e;
    float ip;
    float m = frexpf(fv[i], &e);
    float fr = modff(fv[i], &ip);
    printf("%a: frexpf %a %d modff %a %a fpclassify %d nextafterf %a copysignf %a ldexpf %a\n", fv[i], m, e, fr, ip,
           fpclassify(fv[i]), nextafterf(fv[i], 0.0f), copysignf(2.0f, fv[i]), ldexpf(fv[i], -3));
  }
  /* expm1(1), log1p(2): V8's versions are 1 ulp off glibc's (README, not supported). */
  double w[] = {1e-10, -1e-10, 0.5, -0.5, 3.0, 10.0, -0.9};
  for (int i = 0; i < 7; i++) printf("expm1 %.17g log1p %.17g\n", expm1(w[i]), log1p(w[i]));
  printf("%.9g %.9g\n", expm1f(0.25f), log1pf(0.25f));
  volatile double neg = -1.0, zero = 0.0, big = 1000.0;
  errno = 0; (void)log(zero); printf("log(0) errno %d\n", errno);
  errno = 0; (void)log(neg); printf("log(-1) errno %d\n", errno);
  errno = 0; (void)exp(big); printf("exp(1000) errno %d\n", errno);
  errno = 0; (void)exp(-big); printf("exp(-1000) errno %d\n", errno);
  errno = 0; (void)pow(zero, neg); printf("pow(0,-1) errno %d\n", errno);
  errno = 0; (void)pow(neg, 0.5); printf("pow(-1,.5) errno %d\n", errno);
  errno = 0; (void)acos(big); printf("acos(1000) errno %d\n", errno);
  errno = 0; (void)fmod(big, zero); printf("fmod(x,0) errno %d\n", errno);
  errno = 0; (void)log1p(neg); printf("log1p(-1) errno %d\n", errno);
  errno = 0; (void)pow(10.0, -big); printf("pow(10,-1000) errno %d\n", errno);
  errno = 0; (void)pow(10.0, big); printf("pow(10,1000) errno %d\n", errno);
  errno = 0; (void)sqrt(big); printf("sqrt(1000) errno %d\n", errno);
  printf("%d %d %g %g %d %d\n", FLT_DIG, DBL_MANT_DIG, FLT_EPSILON, DBL_MAX, DBL_MAX_10_EXP, FLT_MIN_EXP);
  return 0;
}
