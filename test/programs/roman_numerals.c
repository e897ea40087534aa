#include <stdio.h>
#include <string.h>

static void to_roman(int n, char *out) {
  static const int vals[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
  static const char *syms[] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};
  out[0] = 0;
  for (int i = 0; i < 13; i++)
    while (n >= vals[i]) { strcat(out, syms[i]); n -= vals[i]; }
}

static int value(char c) {
  switch (c) {
    case 'I': return 1; case 'V': return 5; case 'X': return 10; case 'L': return 50;
    case 'C': return 100; case 'D': return 500; case 'M': return 1000;
    default: return 0;
  }
}

static int from_roman(const char *s) {
  int total = 0;
  for (int i = 0; s[i]; i++) {
    int v = value(s[i]);
    if (value(s[i + 1]) > v) total -= v;
    else total += v;
  }
  return total;
}

int main(void) {
  int tests[] = {1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999};
  int ok = 0;
  char buf[32];
  for (int i = 0; i < 10; i++) {
    to_roman(tests[i], buf);
    int back = from_roman(buf);
    printf("%4d = %-12s -> %d\n", tests[i], buf, back);
    ok += back == tests[i];
  }
  int all = 1;
  for (int n = 1; n < 4000; n++) {
    to_roman(n, buf);
    if (from_roman(buf) != n) all = 0;
  }
  printf("roundtrip 1..3999: %d\n", all);
  return ok + all;
}
