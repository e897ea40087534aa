/* Constant folding rounds once, as gcc does: integer -> float conversions and float literals
   that a double-then-float conversion would round twice (ties created by the first rounding). */
#include <stdio.h>
#include <string.h>

static unsigned bits_of(float f) {
  unsigned u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static unsigned long long dbits(double d) {
  unsigned long long u;
  memcpy(&u, &d, sizeof u);
  return u;
}

int main(void) {
  static const float folded[] = {
      (float)1152921573326323713LL,        /* 2^60 + 2^36 + 1: above a float tie */
      (float)1152921573326323712LL,        /* exactly the tie: even wins */
      (float)-1152921573326323713LL,
      (float)18446744073709551615ULL,      /* rounds up to 2^64 */
      (float)9007199791611905ULL,          /* 2^53 + 2^29 + 1 */
      1.0000000596046447753906251f,        /* just above 1 + 2^-24 */
      1.0000000596046447753906250f,        /* the tie itself */
      1.0000000596046447753906249f,        /* just below */
      0x1.000001000000000000001p0f,        /* hex: above the tie */
      0x1.000001p0f,                       /* hex: the tie */
      0x1.fffffefffffffffffp127f,          /* hex: just below overflow boundary */
      1.40129846432481707092e-45f,         /* smallest subnormal */
      7.00649232162408535461e-46f,         /* half of it: ties to zero (even) */
      7.00649232162408535462e-46f,         /* above half: rounds up to the subnormal */
      3.4028235677973366e38f,              /* rounds to FLT_MAX */
  };
  static const double dfolded[] = {
      (double)18446744073709551615ULL,
      (double)9007199254740993LL,          /* 2^53 + 1: tie, even wins */
      (double)9007199254740995LL,
      0x1.00000000000008p0,                /* the tie at 53 bits */
      0x1.000000000000081p0,
      2.4703282292062328e-324,             /* just above half the smallest subnormal */
  };
  for (unsigned i = 0; i < sizeof folded / sizeof folded[0]; i++)
    printf("f%u %08x\n", i, bits_of(folded[i]));
  for (unsigned i = 0; i < sizeof dfolded / sizeof dfolded[0]; i++)
    printf("d%u %016llx\n", i, dbits(dfolded[i]));
  /* The same conversions at run time (not folded). */
  volatile long long big = 1152921573326323713LL;
  volatile unsigned long long ubig = 18446744073709551615ULL;
  printf("r0 %08x\n", bits_of((float)big));
  printf("r1 %08x\n", bits_of((float)ubig));
  return 0;
}
