// GNU `x ?: y`: the omitted middle operand is x's value, with x evaluated exactly once.
#include <stdio.h>

static int calls;
static int next(int v) {
  calls++;
  return v;
}

static int g = 0 ?: 7;
static const char *name = (const char *)0 ?: "y";

int main(void) {
  int a = 0, b = 5;
  printf("%d %d %d %s\n", a ?: 3, b ?: 3, g, name);
  int r1 = next(4) ?: 9;
  printf("%d calls=%d\n", r1, calls);
  int r2 = next(0) ?: next(2);
  printf("%d calls=%d\n", r2, calls);
  int *p = 0, x = 11;
  int *q = p ?: &x;
  printf("%d\n", *q);
  double d = 0.0 ?: 2.5;
  unsigned u = 0;
  long long big = u ?: -1;  // the result has the common type of both operands
  printf("%.1f %lld %d\n", d, big, (int)sizeof(a ?: 1.0));
  int i = 0;
  int r = i++ ?: i++ ?: 42;  // nested, each operand once
  printf("%d %d\n", r, i);
  char c = -1;
  printf("%d\n", (int)sizeof(c ?: c));
  return (a ?: b) - 5;
}
