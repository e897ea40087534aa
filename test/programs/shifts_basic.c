#include <stdio.h>

int main(void) {
  int a = 1;
  for (int i = 0; i < 32; i += 5) printf("1<<%d=%u\n", i, (unsigned)(a << i) );
  unsigned int u = 0x80000000u;
  for (int i = 0; i < 32; i += 7) printf("0x80000000u>>%d=%08x\n", i, u >> i);
  int neg = -256;
  /* right shift of negative is arithmetic on gcc (implementation-defined) */
  printf("-256>>4=%d\n", neg >> 4);
  printf("-1>>31=%d\n", -1 >> 31);
  printf("-17>>1=%d\n", -17 >> 1);
  unsigned char uc = 0xf0;
  printf("uc>>4=%d uc<<4=%d\n", uc >> 4, uc << 4);
  signed char sc = -16;
  printf("sc>>2=%d\n", sc >> 2);
  short s = -32768;
  printf("s>>15=%d\n", s >> 15);
  unsigned int x = 0xdeadbeef;
  unsigned int rotl = (x << 8) | (x >> 24);
  unsigned int rotr = (x >> 8) | (x << 24);
  printf("rotl=%08x rotr=%08x\n", rotl, rotr);
  int sh = 3;
  long l = 100;
  printf("long<<int=%ld\n", l << sh);
  /* shift count type does not affect result type */
  unsigned char cnt = 4;
  unsigned long long big = 1;
  printf("1ull<<(uchar)4 sizeof=%d\n", (int)sizeof(big << cnt));
  printf("int<<ull sizeof=%d\n", (int)sizeof(a << big));
  int v = 0x12345678;
  int sum = 0;
  for (int i = 0; i < 32; i++) sum += (v >> i) & 1;
  printf("popcount=%d\n", sum);
  unsigned int m = 0;
  m |= 1u << 31;
  m >>= 31;
  printf("m=%u\n", m);
  return sum;
}
