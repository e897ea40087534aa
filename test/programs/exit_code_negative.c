#include <stdio.h>

/* exit status is taken modulo 256 by the host */
int main(void) {
  int v = 0;
  for (int i = 0; i < 10; i++) v -= i;
  printf("v=%d\n", v);
  return v;
}
