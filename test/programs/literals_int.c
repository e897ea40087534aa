#include <stdio.h>

int main(void) {
  printf("%d %d %d %d\n", 42, 052, 0x2a, 0X2A);
  printf("%u %u\n", 42u, 0x2aU);
  printf("%ld %lu %lld %llu\n", 42l, 42ul, 42ll, 42ULL);
  printf("%lld\n", 0LL - 1);
  /* literal types: decimal without suffix that doesn't fit int becomes long long (ILP32) */
  printf("sizeof 2147483647=%d sizeof 2147483648=%d\n", (int)sizeof 2147483647, (int)sizeof 2147483648);
  /* hex that doesn't fit int becomes unsigned int */
  printf("sizeof 0x7fffffff=%d sizeof 0x80000000=%d sizeof 0x100000000=%d\n", (int)sizeof 0x7fffffff,
         (int)sizeof 0x80000000, (int)sizeof 0x100000000);
  printf("0x80000000 > 0: %d\n", 0x80000000 > 0);
  printf("-2147483648 = %lld\n", (long long)-2147483648);
  printf("0xffffffff + 1 = %u\n", 0xffffffff + 1);
  printf("4294967295 + 1 = %lld\n", 4294967295 + 1);
  printf("octal 0777=%d 0=%d 00=%d\n", 0777, 0, 00);
  printf("max u64=%llu\n", 0xffffffffffffffffULL);
  printf("1000000 * 1000000 (ll) = %lld\n", 1000000LL * 1000000);
  printf("mixed case hex=%x\n", 0xAbCdEf);
  int sum = 0x10 + 010 + 10;
  printf("sum=%d\n", sum);
  return sum;
}
