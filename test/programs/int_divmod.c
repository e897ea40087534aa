#include <stdio.h>

int main(void) {
  int nums[] = {17, -17, 0, 1, -1, 2147483647, -2147483647, 100};
  int dens[] = {5, -5, 1, -1, 3, 7, 2147483647};
  int total = 0;
  for (int i = 0; i < 8; i++) {
    for (int j = 0; j < 7; j++) {
      int q = nums[i] / dens[j];
      int r = nums[i] % dens[j];
      printf("%d/%d=%d %d%%%d=%d\n", nums[i], dens[j], q, nums[i], dens[j], r);
      total += q ^ r;
    }
  }
  unsigned int un = 4000000000u;
  printf("%u/7=%u %u%%7=%u\n", un, un / 7, un, un % 7);
  short a = -7;
  short b = 2;
  printf("short: %d %d\n", a / b, a % b);
  unsigned char c = 250;
  printf("uchar: %d %d\n", c / 3, c % 3);
  long l = -2000000000L;
  printf("long: %ld %ld\n", l / 3, l % 3);
  int x = 1000;
  x /= 7;
  x %= 9;
  printf("x=%d\n", x);
  printf("total=%d\n", total);
  return total & 0xff;
}
