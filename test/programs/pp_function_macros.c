#include <stdio.h>

#define SQUARE(x) ((x) * (x))
#define BAD_SQUARE(x) x * x
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define CLAMP(v, lo, hi) MIN(MAX(v, lo), hi)
#define SWAP(T, a, b) do { T tmp_ = (a); (a) = (b); (b) = tmp_; } while (0)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NOARGS() 17
#define CALL(f, arg) f(arg)
#define ID(x) x
#define COMMA_ARG(a, b) (a + b)
#define LONG_MACRO(a, b, c, d) \
  ((a) * 1000 +               \
   (b) * 100 +                \
   (c) * 10 +                 \
   (d))

static int triple(int v) { return v * 3; }

int main(void) {
  printf("%d %d\n", SQUARE(3 + 1), BAD_SQUARE(3 + 1));
  printf("%d %d\n", MAX(3, 9), MIN(-2, 4));
  for (int v = -5; v <= 15; v += 5) printf("clamp(%d)=%d ", v, CLAMP(v, 0, 10));
  printf("\n");
  int a = 1, b = 2;
  SWAP(int, a, b);
  printf("a=%d b=%d\n", a, b);
  double arr[7];
  printf("len=%d\n", (int)ARRAY_LEN(arr));
  printf("noargs=%d\n", NOARGS());
  printf("call=%d\n", CALL(triple, 14));
  printf("id=%d\n", ID(ID(ID(5))));
  printf("comma=%d\n", COMMA_ARG((1, 2), 3));
  printf("long=%d\n", LONG_MACRO(1, 2, 3, 4));
  /* function-like macro name without parens is not invoked */
  int MAX = 99;
  printf("MAX var=%d\n", MAX);
  /* arguments spanning lines */
  int m = MAX(
      a,
      b);
  printf("m=%d\n", m);
  return SQUARE(a + b) + MAX;
}
