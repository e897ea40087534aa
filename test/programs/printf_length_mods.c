#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

int main(void) {
  signed char sc = -5;
  unsigned char uc = 250;
  short s = -1234;
  unsigned short us = 60000;
  long l = -123456789L;
  unsigned long ul = 4000000000UL;
  long long ll = -1234567890123456789LL;
  unsigned long long ull = 18446744073709551615ULL;
  size_t z = 4294967295u;
  printf("hhd=%hhd hhu=%hhu hhx=%hhx\n", sc, uc, uc);
  printf("hhd of 300=%hhd hhu of -1=%hhu\n", 300, -1);
  printf("hd=%hd hu=%hu hx=%hx\n", s, us, us);
  printf("hd of 70000=%hd\n", 70000);
  printf("ld=%ld lu=%lu lx=%lx lo=%lo\n", l, ul, ul, ul);
  printf("lld=%lld llu=%llu llx=%llx llX=%llX llo=%llo\n", ll, ull, ull, (unsigned long long)ll, ull);
  printf("zu=%zu zx=%zx zd=%zd\n", z, z, (ptrdiff_t)-3);
  printf("[%20lld][%-20lld][%+lld][%020llu]\n", ll, ll, 5LL, ull);
  printf("[%#llx][%.25lld]\n", 255ULL, -1LL);
  int64_t i64 = INT64_MIN;
  uint32_t u32 = UINT32_MAX;
  printf("i64min=%lld u32max=%u\n", (long long)i64, u32);
  printf("mixed %d %lld %d %llu %d\n", 1, 2LL, 3, 4ULL, 5);
  printf("sizeof checks %zu %zu\n", sizeof(long long), sizeof(short));
  return 0;
}
