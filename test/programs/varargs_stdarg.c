/* Variadic definitions and <stdarg.h>: promotions, 8-byte slots after 4-byte ones, structs by
   value, va_copy, va_list handed to helpers by value and by pointer, variadic function
   pointers, recursion. */
#include <stdarg.h>
#include <stdio.h>

struct point { int x, y; };
struct mixed { double d; char c; };
struct tiny { char a, b, c; };
enum colour { RED = 1, GREEN = 2 };

static int sum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int s = 0;
  for (int i = 0; i < n; i++) s += va_arg(ap, int);
  va_end(ap);
  return s;
}

/* Reads one value of the kind `k` from a va_list owned by the caller. */
static double take(char k, va_list *ap) {
  switch (k) {
  case 'i': return va_arg(*ap, int);
  case 'u': return va_arg(*ap, unsigned);
  case 'l': return (double)va_arg(*ap, long long);
  case 'd': return va_arg(*ap, double);
  case 'p': { struct point q = va_arg(*ap, struct point); return q.x * 10 + q.y; }
  case 'm': { struct mixed q = va_arg(*ap, struct mixed); return q.d + q.c; }
  case 't': { struct tiny q = va_arg(*ap, struct tiny); return q.a + q.b * 2 + q.c * 3; }
  case 's': return *va_arg(*ap, const char *);
  }
  return -1;
}

static double mix(const char *kinds, ...) {
  va_list ap, again;
  va_start(ap, kinds);
  va_copy(again, ap);
  double total = 0;
  for (const char *k = kinds; *k; k++) total += take(*k, &ap);
  va_end(ap);
  /* The copy still starts at the first argument. */
  printf("  first of %s: %g\n", kinds, take(kinds[0], &again));
  va_end(again);
  return total;
}

/* A va_list passed by value: the callee advances its own copy. */
static long long sum64(int n, va_list ap) {
  long long s = 0;
  while (n-- > 0) s += va_arg(ap, long long);
  return s;
}

static long long forward(int n, ...) {
  va_list ap;
  va_start(ap, n);
  long long a = sum64(n, ap);
  long long b = sum64(n, ap); /* same again: our ap was not advanced */
  va_end(ap);
  return a + b;
}

static int count_until_zero(int first, ...) {
  va_list ap;
  int n = 0;
  va_start(ap, first);
  for (int v = first; v != 0; v = va_arg(ap, int)) n++;
  va_end(ap);
  return n;
}

static int depth(int n, ...) {
  va_list ap;
  va_start(ap, n);
  int v = va_arg(ap, int);
  va_end(ap);
  return n == 0 ? v : depth(n - 1, v * 2, 99) + 1;
}

static int none(const char *s, ...) { return s[0]; }

int main(void) {
  printf("sum: %d %d %d\n", sum(0), sum(1, 5), sum(4, 1, 2, 3, -4));
  struct point p = {3, 4};
  struct mixed m = {1.5, 2};
  struct tiny t = {1, 2, 3};
  char c = 7;
  short sh = -3;
  unsigned char uc = 200;
  float f = 0.25f;
  enum colour col = GREEN;
  printf("mix: %g\n", mix("ildpmtsi", 1, 1LL << 40, 2.5, p, m, t, "A", c));
  printf("mix: %g\n", mix("iiduii", sh, uc, f, 4000000000u, col, 'x'));
  printf("mix: %g\n", mix("dldl", 0.5, -7LL, -0.25, 9LL));
  printf("forward: %lld\n", forward(3, 1LL, 1LL << 33, -5LL));
  printf("until zero: %d\n", count_until_zero(4, 3, 2, 1, 0));
  printf("depth: %d\n", depth(5, 1));
  printf("none: %d\n", none("k"));
  int (*fp)(int, ...) = sum;
  double (*mp)(const char *, ...) = mix;
  printf("pointers: %d %g\n", fp(3, 10, 20, 30), mp("i", 42));
  return sum(2, 40, 2);
}
