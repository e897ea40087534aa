#include <stdio.h>

int main(void) {
  int s = 0;
  for (int i = 0; i < 10; i++) s += i;
  printf("for sum=%d\n", s);
  int i = 0;
  while (i < 5) { printf("w%d ", i); i++; }
  printf("\n");
  int j = 10;
  do { printf("d%d ", j); j += 3; } while (j < 20);
  printf("\n");
  int k = 100;
  do printf("once "); while (k < 0);
  printf("\n");
  /* for with empty parts */
  int n = 0;
  for (;;) { if (++n >= 7) break; }
  printf("n=%d\n", n);
  int m = 0;
  for (; m < 3;) m++;
  printf("m=%d\n", m);
  /* nested */
  int tri = 0;
  for (int a = 0; a < 10; a++)
    for (int b = 0; b <= a; b++) tri++;
  printf("tri=%d\n", tri);
  /* loop variable scope: shadows outer i */
  for (int i = 100; i < 102; i++) printf("inner i=%d ", i);
  printf("outer i=%d\n", i);
  /* countdown */
  for (int c = 5; c > 0; c--) printf("%d..", c);
  printf("liftoff\n");
  /* while with complex condition */
  int x = 1, steps = 0;
  while (x < 1000 && steps < 100) { x = x * 3 + 1; steps++; }
  printf("x=%d steps=%d\n", x, steps);
  return s + tri;
}
