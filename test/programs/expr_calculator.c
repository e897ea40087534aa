#include <stdio.h>

/* precedence-climbing evaluator with variables, unary ops, and error reporting */
typedef struct { const char *p; int err; long long vars[26]; } P;

static void skip(P *s) { while (*s->p == ' ') s->p++; }
static long long parse_expr(P *s, int min_prec);

static long long parse_primary(P *s) {
  skip(s);
  char c = *s->p;
  if (c == '(') {
    s->p++;
    long long v = parse_expr(s, 0);
    skip(s);
    if (*s->p != ')') { s->err = 1; return 0; }
    s->p++;
    return v;
  }
  if (c == '-') { s->p++; return -parse_primary(s); }
  if (c == '~') { s->p++; return ~parse_primary(s); }
  if (c == '!') { s->p++; return !parse_primary(s); }
  if (c >= 'a' && c <= 'z') { s->p++; return s->vars[c - 'a']; }
  if (c >= '0' && c <= '9') {
    long long v = 0;
    while (*s->p >= '0' && *s->p <= '9') v = v * 10 + (*s->p++ - '0');
    return v;
  }
  s->err = 2;
  return 0;
}

static int prec(const char *p, int *len) {
  *len = 2;
  if (p[0] == '<' && p[1] == '<') return 5;
  if (p[0] == '>' && p[1] == '>') return 5;
  if (p[0] == '=' && p[1] == '=') return 3;
  if (p[0] == '!' && p[1] == '=') return 3;
  *len = 1;
  switch (p[0]) {
    case '|': return 1;
    case '^': return 2;
    case '&': return 2;
    case '<': case '>': return 4;
    case '+': case '-': return 6;
    case '*': case '/': case '%': return 7;
  }
  return -1;
}

static long long parse_expr(P *s, int min_prec) {
  long long lhs = parse_primary(s);
  for (;;) {
    skip(s);
    int len;
    int pr = prec(s->p, &len);
    if (pr < 0 || pr < min_prec) return lhs;
    const char *op = s->p;
    s->p += len;
    long long rhs = parse_expr(s, pr + 1);
    if (s->err) return 0;
    switch (op[0]) {
      case '+': lhs += rhs; break;
      case '-': lhs -= rhs; break;
      case '*': lhs *= rhs; break;
      case '/': if (rhs == 0) { s->err = 3; return 0; } lhs /= rhs; break;
      case '%': if (rhs == 0) { s->err = 3; return 0; } lhs %= rhs; break;
      case '&': lhs &= rhs; break;
      case '^': lhs ^= rhs; break;
      case '|': lhs |= rhs; break;
      case '=': lhs = lhs == rhs; break;
      case '!': lhs = lhs != rhs; break;
      case '<': lhs = len == 2 ? lhs << rhs : lhs < rhs; break;
      case '>': lhs = len == 2 ? lhs >> rhs : lhs > rhs; break;
    }
  }
}

int main(void) {
  const char *exprs[] = {"1 + 2 * 3", "(1 + 2) * 3", "100 / 7 % 5", "-5 + ~0", "1 << 40", "x * y - z",
                         "2 * (3 + 4) * (5 - 1) / 2", "7 / 0", "(1 + 2", "x == 3 | y != 4", "1 < 2 == 1",
                         "123456789 * 987654321", "!0 + !5", "$"};
  P s;
  for (int i = 0; i < 26; i++) s.vars[i] = i * 10;
  s.vars['x' - 'a'] = 3;
  s.vars['y' - 'a'] = 4;
  s.vars['z' - 'a'] = 5;
  long long total = 0;
  for (int i = 0; i < 14; i++) {
    s.p = exprs[i];
    s.err = 0;
    long long v = parse_expr(&s, 0);
    if (!s.err && *s.p) s.err = 4;
    if (s.err) printf("%-28s => error %d\n", exprs[i], s.err);
    else { printf("%-28s => %lld\n", exprs[i], v); total += v; }
  }
  printf("total=%lld\n", total);
  return (int)(total & 0x7f);
}
