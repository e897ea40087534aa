#include <stdio.h>

typedef struct { int a; double b; } S;

static S pick(int which, S x, S y) { return which ? x : y; }

int main(void) {
  S x = {1, 1.5}, y = {2, 2.5};
  S z = pick(0, x, y);
  printf("z=%d %.1f\n", z.a, z.b);
  S w = x.a > y.a ? x : y;
  printf("w=%d\n", w.a);
  int arr[3] = {10, 20, 30};
  void *vp = arr;
  int *ip = &arr[2];
  /* void* vs int*: result is void* */
  int *r = (int *)(x.a ? vp : ip);
  printf("r=%d\n", *r);
  const char *s = z.a == 2 ? "two" : 0;
  printf("s=%s\n", s);
  int *np = x.a > 5 ? ip : 0;
  printf("np null=%d\n", np == 0);
  /* ternary as lvalue through member access of result */
  printf("member of ternary=%.1f\n", (x.a < y.a ? x : y).b);
  /* nested ternaries producing different arithmetic types */
  double d = x.a ? 1 : 0.5;
  long long ll = y.a ? -1 : 4000000000u;
  unsigned u = x.a ? -1 : 0u;
  printf("d=%.1f ll=%lld u=%u\n", d, ll, u);
  char c = 'a';
  printf("sizeof(c ? c : c)=%d sizeof(1 ? c : 1.0f)=%d\n", (int)sizeof(c ? c : c), (int)sizeof(1 ? c : 1.0f));
  return z.a + w.a;
}
