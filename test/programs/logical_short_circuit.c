#include <stdio.h>

static int calls = 0;
static int t(int v) { calls++; printf("t(%d) ", v); return v; }

int main(void) {
  int r;
  r = t(0) && t(1);
  printf("-> %d\n", r);
  r = t(1) && t(2);
  printf("-> %d\n", r);
  r = t(1) || t(0);
  printf("-> %d\n", r);
  r = t(0) || t(0);
  printf("-> %d\n", r);
  r = t(0) || (t(1) && t(0)) || t(3);
  printf("-> %d\n", r);
  r = !t(5);
  printf("-> %d\n", r);
  r = !!t(7);
  printf("-> %d\n", r);
  int *p = 0;
  if (p && *p) printf("never\n");
  else printf("null guarded\n");
  int x = 5;
  int y = (x > 3) && (x < 10);
  int z = (x < 3) || (x == 5);
  printf("y=%d z=%d\n", y, z);
  /* && result is int 0/1 */
  printf("sizeof(1&&2)=%d value=%d\n", (int)sizeof(1 && 2), 7 && 9);
  double d = 0.0;
  if (!d) printf("!0.0 is true\n");
  d = 0.1;
  if (d && x) printf("0.1 && 5 is true\n");
  printf("calls=%d\n", calls);
  return calls;
}
