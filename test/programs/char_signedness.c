#include <stdio.h>
#include <limits.h>

int main(void) {
  char c = (char)0xff;
  signed char sc = (signed char)0xff;
  unsigned char uc = 0xff;
  printf("char min=%d max=%d\n", CHAR_MIN, CHAR_MAX);
  printf("c=%d sc=%d uc=%d\n", c, sc, uc);
  printf("c<0: %d\n", c < 0);
  int table[256];
  for (int i = 0; i < 256; i++) table[i] = i * 3;
  const char *s = "\x80\xfe\x7f";
  int acc = 0;
  for (const char *p = s; *p; p++) {
    printf("byte %d as char=%d as uchar=%d\n", (int)(p - s), *p, (unsigned char)*p);
    acc += table[(unsigned char)*p];
  }
  printf("acc=%d\n", acc);
  char x = 127;
  x++;
  printf("127+1 as char=%d\n", x);
  char y = -128;
  y--;
  printf("-128-1 as char=%d\n", y);
  int i = 0x1234;
  char lo = (char)i;
  printf("(char)0x1234=%d\n", lo);
  int j = 0xabcd;
  char lo2 = (char)j;
  printf("(char)0xabcd=%d (unsigned char)=%d\n", lo2, (unsigned char)j);
  /* sign extension through short */
  short sh = (short)0x8001;
  printf("(short)0x8001=%d\n", sh);
  unsigned short ush = (unsigned short)sh;
  printf("ushort=%u\n", ush);
  printf("char arith: %d\n", (char)200 + (char)100);
  return acc & 0x7f;
}
