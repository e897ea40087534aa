#include <stdio.h>

static short add_s(short a, short b) { return (short)(a + b); }
static unsigned short mul_us(unsigned short a, unsigned short b) { return (unsigned short)(a * b); }

int main(void) {
  short a = 30000, b = 10000;
  printf("add_s=%d int sum=%d\n", add_s(a, b), a + b);
  unsigned short ua = 300, ub = 300;
  printf("mul_us=%u int prod=%d\n", mul_us(ua, ub), ua * ub);
  short arr[8];
  for (int i = 0; i < 8; i++) arr[i] = (short)(i * 10000 - 30000);
  int sum = 0;
  for (int i = 0; i < 8; i++) { printf("%d ", arr[i]); sum += arr[i]; }
  printf("\nsum=%d\n", sum);
  short neg = -1;
  unsigned short uneg = (unsigned short)neg;
  printf("neg>>1=%d uneg>>1=%u\n", neg >> 1, uneg >> 1);
  printf("neg==uneg %d\n", neg == uneg);
  short sdiv = -7;
  printf("sdiv/2=%d sdiv%%2=%d\n", sdiv / 2, sdiv % 2);
  unsigned short count = 0;
  for (int i = 0; i < 70000; i++) count++;
  printf("count=%u\n", count);
  short s1 = -32768;
  short s2 = (short)(s1 - 1);
  short s3 = (short)-s1;
  printf("s2=%d s3=%d\n", s2, s3);
  return sum & 0xff;
}
