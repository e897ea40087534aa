#include <stdio.h>
#include <limits.h>

/* KP-C: signed overflow wraps (two's complement), like gcc -fwrapv. */
int add(int a, int b) { return a + b; }
int mul(int a, int b) { return a * b; }

int main(void) {
  int m = INT_MAX;
  printf("INT_MAX+1=%d\n", add(m, 1));
  printf("INT_MIN-1=%d\n", add(INT_MIN, -1));
  printf("INT_MAX*2=%d\n", mul(m, 2));
  printf("65536*65536=%d\n", mul(65536, 65536));
  printf("-INT_MIN=%d\n", -add(INT_MIN, 0));
  int h = 0;
  for (int i = 0; i < 1000; i++) h = h * 31 + i;
  printf("h=%d\n", h);
  long long lm = LLONG_MAX;
  lm = lm + 1;
  printf("LLONG_MAX+1=%lld\n", lm);
  int x = 2147483600;
  for (int i = 0; i < 10; i++) x += 10;
  printf("x=%d\n", x);
  return h & 0x7f;
}
