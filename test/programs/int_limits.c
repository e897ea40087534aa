#include <stdio.h>
#include <limits.h>

int main(void) {
  printf("CHAR_BIT=%d\n", CHAR_BIT);
  printf("SCHAR_MIN=%d SCHAR_MAX=%d UCHAR_MAX=%d\n", SCHAR_MIN, SCHAR_MAX, UCHAR_MAX);
  printf("SHRT_MIN=%d SHRT_MAX=%d USHRT_MAX=%d\n", SHRT_MIN, SHRT_MAX, USHRT_MAX);
  printf("INT_MIN=%d INT_MAX=%d UINT_MAX=%u\n", INT_MIN, INT_MAX, UINT_MAX);
  printf("LONG_MIN=%ld LONG_MAX=%ld ULONG_MAX=%lu\n", LONG_MIN, LONG_MAX, ULONG_MAX);
  printf("LLONG_MIN=%lld LLONG_MAX=%lld ULLONG_MAX=%llu\n", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
  printf("INT_MIN as hex=%x\n", INT_MIN);
  printf("-INT_MAX-1 == INT_MIN: %d\n", -INT_MAX - 1 == INT_MIN);
  printf("sizeof(INT_MIN)=%d sizeof(LLONG_MIN)=%d\n", (int)sizeof(INT_MIN), (int)sizeof(LLONG_MIN));
  printf("UINT_MAX+1u=%u\n", UINT_MAX + 1u);
  printf("INT_MAX+1LL=%lld\n", INT_MAX + 1LL);
  printf("LONG_MAX==INT_MAX: %d\n", LONG_MAX == INT_MAX);
  return CHAR_BIT;
}
