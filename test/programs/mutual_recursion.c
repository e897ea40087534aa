#include <stdio.h>

static int is_even(unsigned n);
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }

/* recursive descent over a tiny grammar: expr = term {('+'|'-') term}; term = num | '(' expr ')' */
static const char *pos;
static int expr(void);
static int term(void) {
  if (*pos == '(') {
    pos++;
    int v = expr();
    if (*pos == ')') pos++;
    return v;
  }
  int v = 0;
  while (*pos >= '0' && *pos <= '9') v = v * 10 + (*pos++ - '0');
  return v;
}
static int expr(void) {
  int v = term();
  while (*pos == '+' || *pos == '-') {
    char op = *pos++;
    int r = term();
    v = op == '+' ? v + r : v - r;
  }
  return v;
}

static int hof_f(int n);
static int hof_m(int n);
static int hof_f(int n) { return n == 0 ? 1 : n - hof_m(hof_f(n - 1)); }
static int hof_m(int n) { return n == 0 ? 0 : n - hof_f(hof_m(n - 1)); }

int main(void) {
  printf("even(10)=%d odd(7)=%d even(7)=%d\n", is_even(10), is_odd(7), is_even(7));
  const char *exprs[] = {"1+2+3", "10-(4-3)", "((7))", "100-(20+(30-5))-1"};
  int sum = 0;
  for (int i = 0; i < 4; i++) {
    pos = exprs[i];
    int v = expr();
    printf("%s = %d\n", exprs[i], v);
    sum += v;
  }
  for (int i = 0; i < 15; i++) printf("%d ", hof_f(i));
  printf("\n");
  for (int i = 0; i < 15; i++) printf("%d ", hof_m(i));
  printf("\n");
  return sum;
}
