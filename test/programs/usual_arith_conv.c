#include <stdio.h>

#define TYPEINFO(e) printf("%-28s size=%d signed=%d\n", #e, (int)sizeof(e), (e) * 0 - 1 < 0)

int main(void) {
  char c = 1;
  short s = 1;
  int i = 1;
  unsigned u = 1;
  long l = 1;
  unsigned long ul = 1;
  long long ll = 1;
  unsigned long long ull = 1;
  TYPEINFO(c + c);
  TYPEINFO(s + c);
  TYPEINFO(i + u);
  TYPEINFO(l + u);
  TYPEINFO(l + i);
  TYPEINFO(ul + i);
  TYPEINFO(ll + u);
  TYPEINFO(ll + ul);
  TYPEINFO(ull + ll);
  TYPEINFO(ull + c);
  TYPEINFO(u + s);
  TYPEINFO((unsigned char)c + (unsigned short)s);
  printf("float+int size=%d\n", (int)sizeof(1.0f + 1));
  printf("float+double size=%d\n", (int)sizeof(1.0f + 1.0));
  printf("float+ll size=%d\n", (int)sizeof(1.0f + 1LL));
  /* values */
  int neg = -3;
  printf("neg+u = %u\n", neg + u);
  printf("neg*u = %u\n", neg * u);
  printf("neg/ (long long)u = %lld\n", neg / (long long)u);
  printf("ll + u*4000000000u = %lld\n", ll + u * 4000000000u);
  printf("(long)neg + ul = %lu\n", (long)neg + ul);
  printf("1.0f/3 = %.9g\n", 1.0f / 3);
  printf("1.0/3 = %.17g\n", 1.0 / 3);
  printf("16777217 as float + 0 = %.1f\n", (float)16777217 + 0.0f);
  printf("int/int*double = %f\n", 7 / 2 * 1.0);
  printf("double*int/int = %f\n", 1.0 * 7 / 2);
  return 0;
}
