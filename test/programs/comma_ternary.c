#include <stdio.h>

static int f(int x) { return x * 2; }

int main(void) {
  int a = 1, b = 2, c;
  c = (a++, b++, a + b);
  printf("a=%d b=%d c=%d\n", a, b, c);
  int i, j;
  int sum = 0;
  for (i = 0, j = 10; i < j; i++, j--) sum += i * j;
  printf("sum=%d\n", sum);
  int m = a > b ? a : b;
  printf("max=%d\n", m);
  int n = a < 0 ? -1 : a == 0 ? 0 : 1;
  printf("sign=%d\n", n);
  /* ternary with mixed types: usual arithmetic conversions */
  double d = a > 0 ? 1 : 2.5;
  printf("d=%f\n", d);
  unsigned u = 1;
  int neg = -1;
  printf("ternary unsigned: %u\n", a ? neg : u);
  long long ll = b > 100 ? 1LL : -1;
  printf("ll=%lld\n", ll);
  /* ternary selecting lvalues via pointers */
  int x = 0, y = 0;
  *(a > 1 ? &x : &y) = 42;
  printf("x=%d y=%d\n", x, y);
  /* ternary with function calls: only one evaluated */
  int calls = 0;
  int r = (calls++, a) ? f(10) : f(20);
  printf("r=%d calls=%d\n", r, calls);
  /* nested ternary chains */
  for (int k = 0; k < 6; k++) printf("%s ", k == 0 ? "zero" : k == 1 ? "one" : k % 2 ? "odd" : "even");
  printf("\n");
  const char *s = (a, b, "comma-string");
  printf("%s\n", s);
  int z = (x = 3, y = 4, x * y);
  printf("z=%d\n", z);
  return z + sum;
}
