/* C11 _Generic: selection by the controlling expression's type after lvalue conversion
   (kplug's types carry no qualifiers, so no `const T` associations here). */
#include <stdio.h>

#define TYPE_NAME(x)                                                                      \
  _Generic((x), _Bool: "_Bool", char: "char",                 \
           unsigned char: "unsigned char", short: "short", unsigned short: "unsigned short", \
           int: "int", unsigned: "unsigned", long: "long", unsigned long: "unsigned long",   \
           long long: "long long", unsigned long long: "unsigned long long", float: "float", \
           double: "double", char *: "char *", int *: "int *", \
           default: "other")

static int count;
static int side(void) { return ++count; }

static double twice_d(double x) { return 2 * x; }
static int twice_i(int x) { return 2 * x; }
#define TWICE(x) _Generic((x), double: twice_d, default: twice_i)(x)

int main(void) {
  char c = 0;
  short s = 0;
  int arr[3];
  struct { int a; } st;
  printf("%s %s %s %s\n", TYPE_NAME(c), TYPE_NAME(s), TYPE_NAME(c + 1), TYPE_NAME(1u));
  printf("%s %s %s %s\n", TYPE_NAME(1L), TYPE_NAME(2ULL), TYPE_NAME(1.0f), TYPE_NAME(1.0));
  printf("%s %s %s\n", TYPE_NAME("str"), TYPE_NAME(arr), TYPE_NAME(st));
  printf("%s %s\n", TYPE_NAME((_Bool)1), TYPE_NAME(s * 2u));
  printf("%g %d\n", TWICE(1.25), TWICE(21));
  int r = _Generic(side(), int: 10, default: 20);
  printf("r=%d count=%d\n", r, count);
  return 0;
}
