#include <stdio.h>

int main(void) {
  printf("Hello, kplug!\n");
  printf("%d + %d = %d\n", 2, 3, 2 + 3);
  return 0;
}
