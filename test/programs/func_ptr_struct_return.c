#include <stdio.h>

typedef struct { int lo, hi; } Range;
typedef struct { double m[2][2]; } Mat2;
typedef Range (*RangeFn)(int, int);
typedef Mat2 (*MatFn)(Mat2, Mat2);

static Range ordered(int a, int b) { Range r = {a < b ? a : b, a < b ? b : a}; return r; }
static Range widened(int a, int b) { Range r = ordered(a, b); r.lo -= 1; r.hi += 1; return r; }
static Mat2 mul(Mat2 a, Mat2 b) {
  Mat2 r;
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) r.m[i][j] = a.m[i][0] * b.m[0][j] + a.m[i][1] * b.m[1][j];
  return r;
}
static Mat2 add(Mat2 a, Mat2 b) {
  Mat2 r;
  for (int i = 0; i < 4; i++) r.m[i / 2][i % 2] = a.m[i / 2][i % 2] + b.m[i / 2][i % 2];
  return r;
}

int main(void) {
  RangeFn fns[2] = {ordered, widened};
  int width = 0;
  for (int k = 0; k < 2; k++) {
    Range r = fns[k](9, 3);
    printf("range %d: [%d,%d]\n", k, r.lo, r.hi);
    width += r.hi - r.lo;
  }
  printf("direct member: %d\n", fns[1](1, 2).hi);
  MatFn ops[] = {mul, add};
  Mat2 a = {{{1, 1}, {1, 0}}};
  Mat2 acc = a;
  for (int i = 0; i < 10; i++) acc = ops[i % 2 == 0 ? 0 : 0](acc, a);
  printf("fib-ish: %.0f %.0f %.0f %.0f\n", acc.m[0][0], acc.m[0][1], acc.m[1][0], acc.m[1][1]);
  Mat2 s = ops[1](a, a);
  printf("sum: %.0f %.0f\n", s.m[0][0], s.m[1][1]);
  return width + (int)acc.m[0][1] % 100;
}
