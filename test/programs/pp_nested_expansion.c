#include <stdio.h>

#define A B
#define B C
#define C 42
#define TWICE(x) (2 * (x))
#define QUAD(x) TWICE(TWICE(x))
#define APPLY(m, v) m(v)
#define LPAREN (
#define F(x) (x + 100)
#define G F
#define EMPTY_ARG(x) [x]
#define STR(x) #x
#define XSTR(x) STR(x)
#define foo foo_is_not_recursive

static int SELF_val(void) { return 0; }
static int SELF = 41;
#define SELF (SELF + 1)
static int foo_is_not_recursive = 9;

int main(void) {
  printf("A=%d\n", A);
  /* SELF expands to (SELF + 1) once, not infinitely */
  printf("SELF=%d\n", SELF);
  printf("quad=%d\n", QUAD(3));
  printf("apply=%d\n", APPLY(TWICE, 21));
  printf("G=%d\n", G(1));
  printf("%s\n", XSTR(EMPTY_ARG()));
  printf("%s\n", XSTR(QUAD(y)));
  printf("foo=%d\n", foo);
  printf("%d\n", SELF_val());
  return QUAD(3) + A;
}
