#include <stdio.h>

#define STR(x) #x
#define XSTR(x) STR(x)
#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#define VERSION 3
#define MAKE_GETTER(name) static int get_##name(void) { return name##_value; }
#define FIELD(n) int f##n;
#define SHOW(expr) printf("%s = %d\n", #expr, (expr))
#define PREFIXED(id) kp_##id

static int alpha_value = 10;
static int beta_value = 20;
MAKE_GETTER(alpha)
MAKE_GETTER(beta)

struct Fields { FIELD(0) FIELD(1) FIELD(2) };

static int kp_counter = 7;

int main(void) {
  printf("%s\n", STR(hello world));
  printf("%s\n", STR("quoted" and \n escaped));
  printf("%s\n", STR(  spaces   collapse   here  ));
  printf("%s vs %s\n", STR(VERSION), XSTR(VERSION));
  int CAT(var, 1) = 11;
  int xy = 5;
  printf("var1=%d cat=%d\n", var1, CAT(x, y));
  int XCAT(v, VERSION) = 33;
  printf("v3=%d\n", v3);
  printf("getters %d %d\n", get_alpha(), get_beta());
  struct Fields f = {1, 2, 3};
  printf("fields %d %d %d\n", f.f0, f.f1, f.f2);
  SHOW(1 + 2 * 3);
  SHOW(f.f2 << 4);
  printf("%d\n", PREFIXED(counter));
  printf("%d\n", CAT(12, 34) + 1);
  printf("%s\n", XSTR(CAT(ab, cd)));
  printf("%s\n", STR(a + b));
  printf("%s\n", STR('x'));
  return CAT(1, 5);
}
