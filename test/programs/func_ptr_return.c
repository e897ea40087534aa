#include <stdio.h>

typedef int (*IntFn)(int);

static int inc(int x) { return x + 1; }
static int dbl(int x) { return x * 2; }
static int sqr(int x) { return x * x; }
static int neg(int x) { return -x; }

static IntFn pick(char c) {
  switch (c) {
    case '+': return inc;
    case '*': return dbl;
    case '^': return sqr;
    default: return neg;
  }
}

/* without typedef: function returning pointer to function (int)->int */
static int (*pick_raw(int i))(int) {
  static int (*const table[])(int) = {inc, dbl, sqr, neg};
  return table[i & 3];
}

static int compose_apply(IntFn *fns, int n, int x) {
  for (int i = 0; i < n; i++) x = fns[i](x);
  return x;
}

int main(void) {
  const char *prog = "+*^+-*";
  int v = 1;
  for (const char *p = prog; *p; p++) {
    v = pick(*p)(v);
    printf("%c -> %d\n", *p, v);
  }
  int w = 3;
  for (int i = 0; i < 4; i++) w = pick_raw(i)(w);
  printf("w=%d\n", w);
  IntFn chain[5] = {sqr, inc, dbl, pick('?'), pick_raw(1)};
  printf("chain=%d\n", compose_apply(chain, 5, 4));
  return v & 0xff;
}
