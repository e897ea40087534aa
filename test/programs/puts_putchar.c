#include <stdio.h>

int main(void) {
  puts("puts adds newline");
  puts("");
  for (int i = 0; i < 26; i++) putchar('a' + i);
  putchar('\n');
  int r = putchar('!');
  putchar('\n');
  printf("putchar returned %d\n", r);
  int r2 = putchar(0x141); /* converted to unsigned char 'A' */
  putchar('\n');
  printf("putchar(0x141) returned %d\n", r2);
  int n = puts("count");
  printf("puts ok=%d\n", n >= 0);
  /* interleave printf / putchar / puts */
  printf("a");
  putchar('b');
  printf("c");
  puts("d");
  return r;
}
