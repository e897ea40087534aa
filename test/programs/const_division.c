/* Division and remainder by constants (compiled to multiplications) over edge-case dividends. */
#include <limits.h>
#include <stdio.h>

static const int ints[] = {0, 1, -1, 7, -7, 8, -8, 9, -9, 99, -100, 1000001, -1000001,
                           INT_MAX, INT_MIN, INT_MAX - 1, INT_MIN + 1, 123456789, -987654321};
static const unsigned uints[] = {0u, 1u, 2u, 6u, 7u, 8u, 9u, 10u, 0x7fffffffu, 0x80000000u,
                                 0x80000001u, 0xfffffffeu, 0xffffffffu, 3000000000u, 123456789u};

int main(void) {
  unsigned h = 0;
  for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    int x = ints[i];
    int q = x / 3 + x / 7 + x / 10 + x / 641 + x / 1000 + x / -3 + x / 6700417 + x / 2147483647;
    int r = x % 3 + x % 7 + x % 10 + x % 641 + x % 1000 + x % -7 + x % 2147483647;
    h = h * 31u + (unsigned)q + (unsigned)r;
    printf("%d: %d %d %d %d | %d %d %d\n", x, x / 9, x / 25, x / 7, x / 100, x % 9, x % 25, x % 7);
  }
  for (unsigned i = 0; i < sizeof uints / sizeof uints[0]; i++) {
    unsigned x = uints[i];
    unsigned q = x / 3u + x / 7u + x / 10u + x / 641u + x / 0x80000001u + x / 0xffffffffu;
    unsigned r = x % 3u + x % 7u + x % 10u + x % 641u + x % 0xfffffffeu;
    h = h * 31u + q + r;
    printf("%u: %u %u %u | %u %u %u\n", x, x / 9u, x / 25u, x / 1000u, x % 9u, x % 25u, x % 1000u);
  }
  /* Narrow and mixed types: promoted to int first. */
  unsigned char c = 250;
  short s = -32000;
  unsigned short us = 65535;
  printf("%d %d %d %d %u\n", c / 7, s / 7, s % 7, us / 11, h);
  return 0;
}
