#include <stdio.h>

int main(void) {
  int vals[] = {0, 1, -1, 42, -42, 255, 65535, 2147483647, -2147483647 - 1};
  for (int i = 0; i < 9; i++) {
    int v = vals[i];
    printf("d=%d i=%i u=%u x=%x X=%X o=%o\n", v, v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v);
  }
  printf("%c%c%c\n", 72, 'i', 33);
  printf("100%%\n");
  printf("%d%d%d\n", 1, 2, 3);
  printf("[%s]\n", "");
  int n = printf("counted\n");
  printf("printf returned %d\n", n);
  return n;
}
