#include <stdio.h>

static const int table[4] = {1, 1, 2, 3};
static volatile int counter;
extern const double scale;
const double scale = 2.5;

static int sum_const(const int *p, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += p[i];
  return s;
}

static void bump(volatile int *v) { (*v)++; }

int main(void) {
  const int local = 10;
  volatile int spin = 0;
  for (int i = 0; i < 1000; i++) spin += i;
  for (int i = 0; i < 5; i++) bump(&counter);
  const char *const msg = "const ptr to const";
  int x = 5;
  int *const px = &x;
  *px = 6;
  const int *pc = &x;
  printf("%d %d %d %d %s %f\n", local, spin, counter, *pc, msg, scale);
  printf("sum=%d\n", sum_const(table, 4));
  const struct { int a; int b; } cs = {3, 4};
  printf("cs=%d\n", cs.a * cs.b);
  volatile unsigned char vb[4] = {1, 2, 3, 4};
  int t = 0;
  for (int i = 0; i < 4; i++) t += vb[i];
  printf("t=%d\n", t);
  return local + counter + t;
}
