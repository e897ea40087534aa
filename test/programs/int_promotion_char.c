#include <stdio.h>

/* Integer promotions: char/short operands are promoted to int before arithmetic. */
int main(void) {
  unsigned char a = 200, b = 100;
  int sum = a + b; /* 300, no wrap: promoted to int */
  unsigned char wrapped = a + b; /* stored back: 44 */
  printf("sum=%d wrapped=%d\n", sum, wrapped);

  signed char c = -100, d = -100;
  int prod = c * d; /* 10000 */
  signed char trunc = (signed char)(c * d);
  printf("prod=%d trunc=%d\n", prod, trunc);

  unsigned short us = 65535;
  int r = us * us; /* int * int: 65535*65535 wraps in 32-bit int (fwrapv) */
  unsigned int ur = (unsigned)us * us;
  printf("us*us=%u (as unsigned)\n", ur);
  printf("r as unsigned=%u\n", (unsigned)r);

  unsigned char x = 0x80;
  printf("~x=%d\n", ~x);         /* ~ of promoted int: -129 */
  printf("x<<1=%d\n", x << 1);   /* 256 */
  printf("-x=%d\n", -x);         /* -128 */
  printf("sizeof(x+0)=%d sizeof(x)=%d\n", (int)sizeof(x + 0), (int)sizeof(x));
  unsigned char y = 1;
  printf("y-2 < 0: %d\n", y - 2 < 0); /* promoted to int: true */
  unsigned short s1 = 1;
  printf("s1-2 < 0: %d\n", s1 - 2 < 0);
  unsigned int u1 = 1;
  printf("u1-2 < 0: %d\n", u1 - 2 < 0); /* unsigned: false */

  char ch = 'A';
  printf("ch+1=%c %d\n", ch + 1, ch + 1);
  short sh = -32768;
  printf("-sh=%d\n", -sh);
  short sh2 = sh - 1; /* converts 32767 back */
  printf("sh2=%d\n", sh2);
  return (sum + wrapped) & 0xff;
}
