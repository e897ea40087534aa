/* In `x op= f()` where f changes x, gcc and clang read x after the call. */
#include <stdio.h>

static int g = 10;
static long long gl = 5;
static double gd = 1.5;
static int arr[3] = {1, 2, 3};

static int bump(void) { g += 100; return 1; }
static long long bumpl(void) { gl *= 3; return 2; }
static double bumpd(void) { gd = 10.25; return 0.5; }
static int poke(int *p) { *p = 7; return 3; }

int main(void) {
  g += bump();
  printf("%d\n", g);
  g -= bump();
  printf("%d\n", g);
  g *= bump() + 1;
  printf("%d\n", g);
  gl += bumpl();
  printf("%lld\n", gl);
  gd += bumpd();
  printf("%.3f\n", gd);
  arr[1] += poke(&arr[1]);
  printf("%d\n", arr[1]);
  int local = 4;
  local += poke(&local);
  printf("%d\n", local);
  unsigned char c = 250;
  c += poke((int *)0 == 0 ? &local : &local);
  printf("%d %d\n", c, local);
  return 0;
}
