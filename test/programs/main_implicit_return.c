#include <stdio.h>

/* reaching the closing brace of main returns 0 (C99 5.1.2.2.3) */
int main(void) {
  int x = 0;
  for (int i = 0; i < 5; i++) x += i;
  printf("x=%d\n", x);
}
