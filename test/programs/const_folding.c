#include <stdio.h>

/* constant expressions in static initializers and array sizes */
static const unsigned umax = (unsigned)-1;
static const int shifted = (1 << 30) >> 29;
static const unsigned wrap = 0u - 5u;
static const long long ll_fold = (long long)0x7fffffff * 4 + 3;
static const int neg_div = -7 / 2;
static const int neg_mod = -7 % 2;
static const double dconst = 1.0 / 8 + 3;
static const int from_double = (int)(2.9 * 2);
static const char ch = (char)('a' + 300);
static const int cond = sizeof(long) == 4 ? 32 : 64;
static int arr[(3 + 4) * 2 - 1];
static const int logic = (5 > 3) + (2 && 0) + (0 || 7) + !9;
static const int bits = ~0x0f & 0xff ^ 0x5a | 0x100;
static const unsigned char uc_wrap = (unsigned char)(250 + 10);
enum { E1 = 1 << 4, E2 = E1 * 3 - 1, E3 = sizeof(int) * 8 };

int main(void) {
  printf("umax=%u shifted=%d wrap=%u ll=%lld\n", umax, shifted, wrap, ll_fold);
  printf("neg_div=%d neg_mod=%d dconst=%.4f from_double=%d ch=%d cond=%d\n", neg_div, neg_mod, dconst, from_double, ch,
         cond);
  printf("arr=%d logic=%d bits=%d uc_wrap=%d\n", (int)(sizeof arr / sizeof arr[0]), logic, bits, uc_wrap);
  printf("E=%d %d %d\n", E1, E2, E3);
  /* local constant expressions that a folder must get right */
  int a = 2147483647;
  printf("fold wrap=%d\n", a + 1 - 1);
  printf("(-1)>>1=%d (unsigned)-1>>1=%u\n", -1 >> 1, (unsigned)-1 >> 1);
  printf("3000000000u*3=%u\n", 3000000000u * 3);
  printf("1.0f/3 == 1.0/3: %d\n", 1.0f / 3 == 1.0 / 3);
  printf("(float)0.1 == 0.1: %d\n", (float)0.1 == 0.1);
  printf("'\\377'=%d (unsigned char)'\\377'=%d\n", '\377', (unsigned char)'\377');
  return E2 + logic;
}
