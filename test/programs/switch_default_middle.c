#include <stdio.h>

static int f(int x) {
  int r = 0;
  switch (x) {
    case 1:
      r += 1;
    default:
      r += 10;
    case 2:
      r += 100;
      break;
    case 3:
      r += 1000;
  }
  return r;
}

static int g(int x) {
  switch (x) {
    default:
      return -1;
    case 5:
      return 5;
    case 6:;
  }
  return 60;
}

int main(void) {
  int sum = 0;
  for (int i = 0; i <= 4; i++) { printf("f(%d)=%d\n", i, f(i)); sum += f(i); }
  for (int i = 4; i <= 7; i++) printf("g(%d)=%d\n", i, g(i));
  /* switch with only default */
  int x = 3;
  switch (x) { default: x *= 2; }
  printf("x=%d\n", x);
  /* switch with no matching case and no default */
  switch (x) { case 100: x = 0; }
  printf("x=%d\n", x);
  /* switch with statements before first case (unreachable) and declarations */
  switch (x) {
    {
      int y = 0;
      (void)y;
    }
    case 6: printf("six\n"); break;
  }
  return sum & 0xff;
}
