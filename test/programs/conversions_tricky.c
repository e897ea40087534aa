#include <stdio.h>

static int take_int(int x) { return x; }
static double take_double(double d) { return d; }
static unsigned char take_uchar(unsigned char c) { return c; }
static long long take_ll(long long v) { return v; }
static int ret_int_from_double(void) { return 3.9; }
static unsigned char ret_uchar_from_int(void) { return 300; }
static double ret_double_from_int_div(void) { return 7 / 2; }
static float ret_float_from_double(void) { return 0.1; }

int main(void) {
  /* 64-bit integer -> float must round once (not via double) */
  long long tricky = (1LL << 60) + (1LL << 36) + 1;
  printf("ll->float=%.1f ll->double=%.1f\n", (float)tricky, (double)tricky);
  unsigned long long ut = (1ULL << 63) + (1ULL << 39) + 1;
  printf("ull->float=%.1f ull->double=%.1f\n", (float)ut, (double)ut);
  unsigned long long big = 18446744073709551615ULL;
  printf("ullmax->float=%.1f ->double=%.1f\n", (float)big, (double)big);
  long long neg = -(1LL << 62) - (1LL << 38) - 1;
  printf("neg->float=%.1f\n", (float)neg);
  /* 32-bit edge values */
  int imin = -2147483647 - 1;
  unsigned umax = 4294967295u;
  printf("imin->float=%.1f umax->float=%.1f umax->double=%.1f\n", (float)imin, (float)umax, (double)umax);
  unsigned u31 = 2147483649u;
  printf("u31->double=%.1f ->float=%.1f\n", (double)u31, (float)u31);
  /* float/double -> integer, in range */
  float f = 200.7f;
  double d = 4294967295.9;
  printf("f->uchar=%d d->unsigned=%u d->ull=%llu\n", (unsigned char)f, (unsigned)d, (unsigned long long)(d * 1000));
  double dneg = -2147483648.9;
  printf("dneg->int=%d\n", (int)dneg);
  float fbig = 9.2233715e18f;
  printf("fbig->ll=%lld\n", (long long)fbig);
  /* argument conversions through prototypes */
  printf("args: %d %.1f %d %lld\n", take_int(7.99), take_double(7), take_uchar(511), take_ll(-1));
  printf("args2: %d %d\n", take_int('A'), take_int((short)-3));
  /* return value conversions */
  printf("rets: %d %d %.1f %.10f\n", ret_int_from_double(), ret_uchar_from_int(), ret_double_from_int_div(),
         ret_float_from_double());
  /* unary plus/minus promote */
  char c = 'x';
  unsigned char uc = 200;
  unsigned un = 5;
  printf("sizeof(+c)=%d sizeof(-uc)=%d -uc=%d -un=%u\n", (int)sizeof(+c), (int)sizeof(-uc), -uc, -un);
  /* bool from floating point, including NaN */
  double zero = 0.0;
  double nan = zero / zero;
  _Bool b1 = nan, b2 = -0.0, b3 = 1e-300;
  printf("bools: %d %d %d\n", b1, b2, b3);
  _Bool bt = 1;
  printf("~bool=%d -bool=%d\n", ~bt, -bt);
  /* float rounding to nearest even on conversion */
  printf("16777217->f=%.1f 16777219->f=%.1f 33554434->f=%.1f\n", (float)16777217, (float)16777219, (float)33554434);
  double tiny = 1e-40;
  float ftiny = (float)tiny; /* float subnormal */
  printf("ftiny>0=%d ftiny=%g\n", ftiny > 0, ftiny);
  return (int)((float)tricky / 1e15f) & 0xff;
}
