#include <stdio.h>

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static double half(double x) { return x / 2; }
static void hello(void) { printf("hello via pointer\n"); }

static int apply(int (*f)(int, int), int a, int b) { return f(a, b); }
static double twice(double (*f)(double), double x) { return f(f(x)); }

int main(void) {
  int (*fp)(int, int) = add;
  printf("%d\n", fp(2, 3));
  fp = &sub;
  printf("%d\n", (*fp)(10, 4));
  printf("%d\n", apply(mul, 6, 7));
  printf("%.3f\n", twice(half, 10));
  void (*h)(void) = hello;
  h();
  (*h)();
  (**h)();
  int (*ops[3])(int, int) = {add, sub, mul};
  int acc = 1;
  for (int i = 0; i < 9; i++) acc = ops[i % 3](acc, i + 1);
  printf("acc=%d\n", acc);
  printf("fp==sub %d fp==add %d\n", fp == sub, fp == add);
  int (*cond)(int, int) = acc > 0 ? add : sub;
  printf("cond=%d\n", cond(acc, 1));
  return acc & 0xff;
}
