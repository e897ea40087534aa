/* K&R definitions and calls through unprototyped pointers, as gcc -std=gnu99 runs them:
   arguments get the default promotions at the call, the callee converts them to its declared
   parameter types. */
#include <stdio.h>

int add3(a, b, c)
int a, c;
long b;
{
  return a + (int)b + c;
}

/* char, short and float parameters arrive promoted and are narrowed on entry. */
double narrow(c, s, f, u)
char c;
short s;
float f;
unsigned char u;
{
  return c + s + f + u;
}

int first_char(s, n)
char *s;
{
  return s[0] + n; /* n defaults to int */
}

int apply(fn, x) int (*fn)(); int x; { return fn(x, x); }

struct pair { int a, b; };
int pair_sum(p) struct pair p; { return p.a * 100 + p.b; }

int twice(int x, int y) { return 2 * x + y; }
double scale(double x, int k) { return x * k; }
int noargs(void) { return 17; }

int later();   /* declared without a prototype, defined below */

int main(void) {
  printf("%d\n", add3(1, 2, 3));
  printf("%g\n", narrow(300, 70000, 1.0000001, 513));
  printf("%d\n", first_char("A", 1));
  printf("%d\n", apply(twice, 5));
  struct pair pr = {4, 2};
  printf("%d\n", pair_sum(pr));
  int (*fp)() = twice;
  printf("%d\n", fp(7, 1));
  double (*dp)() = scale;
  float half = 0.5f;
  printf("%g\n", dp(half, 6));
  fp = noargs;
  printf("%d\n", fp());
  fp = add3;
  printf("%d\n", fp(10, 20, 30));
  printf("%d\n", later(6, 'a'));
  return first_char("\003", 0);
}

int later(int n, int c) { return n + c; }
