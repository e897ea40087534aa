#include <stdio.h>

/* division/modulo/shift by powers of two: signed division truncates toward zero,
   right shift of negatives floors (arithmetic) */
static int div_by(int x, int d) { return x / d; }

int main(void) {
  int vals[] = {-17, -16, -15, -9, -8, -7, -1, 0, 1, 7, 8, 9, 15, 16, 17, -2147483647 - 1, 2147483647};
  int acc = 0;
  for (int i = 0; i < 17; i++) {
    int x = vals[i];
    printf("%d: /2=%d /8=%d %%8=%d >>3=%d /-4=%d %%-4=%d &7=%d fn/16=%d\n", x, x / 2, x / 8, x % 8, x >> 3, x / -4,
           x % -4, x & 7, div_by(x, 16));
    acc += x / 8 + x % 8 + (x >> 3);
  }
  long long lv[] = {-1000000000001LL, -9, 9, 1000000000001LL};
  for (int i = 0; i < 4; i++)
    printf("%lld: /4=%lld %%4=%lld >>2=%lld /1024=%lld\n", lv[i], lv[i] / 4, lv[i] % 4, lv[i] >> 2, lv[i] / 1024);
  unsigned u = 0xfffffff1u;
  printf("u/8=%u u%%8=%u u>>3=%u\n", u / 8, u % 8, u >> 3);
  /* multiplication by constants */
  for (int i = 0; i < 17; i++) acc += vals[i] * 3 + vals[i] * -5 + vals[i] * 1024;
  printf("acc=%d\n", acc);
  return acc & 0xff;
}
