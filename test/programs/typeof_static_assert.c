/* typeof / __typeof__ (of expressions and type names) and _Static_assert at every scope. */
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(int) == 4, "int is 32 bits");
_Static_assert(sizeof(long long) == 8);

struct pair {
  int a;
  _Static_assert(sizeof(short) == 2, "short");
  double b;
};

#define SWAP(x, y)        \
  do {                    \
    typeof(x) tmp_ = (x); \
    (x) = (y);            \
    (y) = tmp_;           \
  } while (0)

static int counter;
static int bump(void) { return ++counter; }

int main(void) {
  _Static_assert(sizeof(struct pair) == 16, "pair layout");
  int i = 3, j = 9;
  SWAP(i, j);
  double d = 1.5, e = -2.25;
  SWAP(d, e);
  printf("%d %d %g %g\n", i, j, d, e);
  char buf[13];
  typeof(buf) copy;
  __typeof__(buf[0]) c = 'x';
  printf("%d %d %c\n", (int)sizeof copy, (int)sizeof c, c);
  typeof(bump()) n = 5; /* not evaluated */
  printf("counter=%d n=%d\n", counter, n);
  typeof(int *) ptrs[2] = {&i, &j};
  __typeof(unsigned char) uc = 300;
  printf("%d %d %d\n", *ptrs[0], *ptrs[1], uc);
  typeof(struct pair) pr = {7, 0.5};
  typeof(pr.b) *pb = &pr.b;
  printf("%d %g %d\n", pr.a, *pb, (int)sizeof(typeof(pr)));
  strcpy(copy, "hello");
  typeof(copy[0] + 1L) widened = copy[1];
  printf("%s %d %ld\n", copy, (int)sizeof widened, widened);
  return 0;
}
