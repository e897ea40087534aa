#include <stdio.h>

int main(void) {
  int v[] = {0, 7, -7, 12345, -12345};
  for (int i = 0; i < 5; i++) {
    int x = v[i];
    printf("[%5d][%-5d][%05d][%+d][% d][%+5d][%-+6d][% 05d]\n", x, x, x, x, x, x, x, x);
    printf("[%8x][%-8X][%08x][%#x][%#X][%#o][%#10x][%-#10o]\n", (unsigned)x, (unsigned)x,
           (unsigned)x, (unsigned)x, (unsigned)x, (unsigned)x, (unsigned)x, (unsigned)x);
    printf("[%.3d][%8.3d][%-8.3d][%08.3d][%.0d]\n", x, x, x, x, x);
  }
  printf("[%10s][%-10s][%.2s][%10.3s][%-10.1s]\n", "abc", "abc", "abc", "abcdef", "xyz");
  printf("[%3c][%-3c]\n", 'x', 'y');
  printf("[%#.0o][%#.3o][%#5.2x]\n", 0u, 8u, 1u);
  printf("[%1d][%2d]\n", 12345, 12345);
  return 0;
}
