#include <stdio.h>

int main(void) {
  int neg = -1;
  unsigned int one = 1;
  int count = 0;
  /* -1 converted to unsigned becomes UINT_MAX */
  if (neg < one) printf("neg < one\n"); else { printf("neg >= one (unsigned compare)\n"); count++; }
  if (neg < (int)one) { printf("neg < (int)one\n"); count++; }
  long l = -1;
  unsigned long ul = 1;
  if (l > ul) { printf("long -1 > unsigned long 1\n"); count++; }
  long long ll = -1;
  unsigned int u = 1;
  if (ll < u) { printf("long long -1 < unsigned 1 (converted to long long)\n"); count++; }
  unsigned long long ull = 1;
  if (ll > ull) { printf("long long -1 > unsigned long long 1\n"); count++; }
  /* long (32-bit) vs unsigned int: both 32-bit so unsigned long wins */
  long l2 = -5;
  unsigned int u2 = 3;
  if (l2 > u2) { printf("long -5 > unsigned 3 on ILP32\n"); count++; }
  unsigned short us = 1;
  int i = -1;
  if (i < us) { printf("int -1 < unsigned short 1 (promoted to int)\n"); count++; }
  unsigned char uc = 255;
  signed char sc = -1;
  if (uc != sc) { printf("uc 255 != sc -1\n"); count++; }
  unsigned int big = 0x80000000u;
  if ((int)big < 0) { printf("(int)0x80000000 < 0\n"); count++; }
  printf("-1 == 0xffffffff: %d\n", -1 == 0xffffffff);
  printf("-1L < 0U: %d\n", -1L < 0U);
  printf("-1LL < 0U: %d\n", -1LL < 0U);
  printf("(unsigned)-1 / 2 = %u\n", (unsigned)-1 / 2);
  printf("-7 / 2u = %u\n", -7 / 2u);
  printf("-7 %% 3u = %u\n", -7 % 3u);
  printf("count=%d\n", count);
  return count;
}
