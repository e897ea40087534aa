#include <stdio.h>

#define VALUE 1
static int first = VALUE;
#undef VALUE
#define VALUE 2
static int second = VALUE;
#undef VALUE
#ifdef VALUE
static int third = -1;
#else
static int third = 3;
#endif
#define F(x) ((x) + 1)
static int f1 = F(10);
#undef F
#define F(x) ((x) * 10)
static int f2 = F(10);
#define SAME 5
#define SAME 5 /* identical redefinition is allowed */
#undef NEVER_DEFINED

int main(void) {
  printf("%d %d %d %d %d %d\n", first, second, third, f1, f2, SAME);
#define LOCAL_MACRO 42
  int v = LOCAL_MACRO;
#undef LOCAL_MACRO
  int LOCAL_MACRO = 7;
  printf("v=%d local=%d\n", v, LOCAL_MACRO);
  return first + second + third + f1 + f2;
}
