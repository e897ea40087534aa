/* GNU builtins: bit counting and byte swaps (wasm instructions), branch hints, NaN/infinity. */
#include <math.h>
#include <stdio.h>

struct inner {
  char c;
  short s[5];
};
struct outer {
  int a;
  struct inner in[3];
  double d;
};
static const unsigned long offs[] = {__builtin_offsetof(struct outer, in[2].s[3]),
                                     __builtin_offsetof(struct outer, d)};
_Static_assert(__builtin_offsetof(struct outer, in[1]) == 16, "offsetof is a constant");

static unsigned vals[] = {0u, 1u, 2u, 3u, 0x80000000u, 0xffffffffu, 0x12345678u, 0x00f0f000u};

int main(void) {
  for (int i = 0; i < 8; i++) {
    unsigned v = vals[i];
    printf("%08x pop=%d", v, __builtin_popcount(v));
    if (v != 0) printf(" clz=%d ctz=%d", __builtin_clz(v), __builtin_ctzl(v));
    printf(" bswap=%08x\n", __builtin_bswap32(v));
  }
  unsigned long long w = 0x0123456789abcdefULL;
  printf("%016llx %d %d %d\n", __builtin_bswap64(w), __builtin_popcountll(w), __builtin_clzll(w),
         __builtin_ctzll(w << 20));
  printf("%04x %04x\n", __builtin_bswap16(0x1234), __builtin_bswap16((unsigned short)0xff00));
  printf("%d %d\n", __builtin_popcountl(0xf0f0f0f0ul), __builtin_clzll(1ULL));
  int hits = 0;
  for (int i = 0; i < 100; i++) {
    if (__builtin_expect(i % 7 == 0, 0)) hits++;
    if (__builtin_expect(i > 95, 1)) hits += 10;
  }
  printf("hits=%d\n", hits);
  printf("%f %f %f %f\n", NAN, INFINITY, -INFINITY, HUGE_VAL);
  printf("%f %f %f\n", __builtin_nan(""), __builtin_inf(), (double)__builtin_inff());
  double n = __builtin_nanf("");
  printf("nan!=nan:%d isnan:%d isinf:%d\n", n != n, isnan(n), isinf(__builtin_huge_valf()));
  printf("sizeof=%d %d\n", (int)sizeof(__builtin_nanf("")), (int)sizeof(__builtin_inf()));
  printf("offsetof %lu %lu %d\n", offs[0], offs[1], (int)__builtin_offsetof(struct inner, s[1]));
  return __builtin_popcount(0x7) - 3;
}
