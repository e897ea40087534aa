#include <stdio.h>

int main(void) {
  unsigned int u = 0;
  u--;
  printf("0-1=%u\n", u);
  u += 2;
  printf("+2=%u\n", u);
  unsigned short us = 0;
  us--;
  printf("ushort 0-1=%u\n", us);
  us++;
  printf("ushort back=%u\n", us);
  unsigned char uc = 250;
  for (int i = 0; i < 10; i++) uc++;
  printf("uchar 250+10=%u\n", uc);
  unsigned int h = 2166136261u;
  for (int i = 0; i < 100; i++) h = (h ^ (unsigned)i) * 16777619u;
  printf("hash=%u\n", h);
  unsigned int big = 3000000000u;
  unsigned int sum = big + big;
  printf("sum=%u\n", sum);
  unsigned int prod = big * 3u;
  printf("prod=%u\n", prod);
  unsigned int neg = -5;
  printf("neg=%u\n", neg);
  unsigned long long ull = 0;
  ull -= 1;
  printf("ull=%llu\n", ull);
  /* countdown loop with unsigned */
  int n = 0;
  for (unsigned i = 10; i-- > 0;) n += i;
  printf("n=%d\n", n);
  return (int)(h % 200);
}
