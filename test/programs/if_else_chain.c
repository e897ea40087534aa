#include <stdio.h>

static const char *classify(int n) {
  if (n < 0)
    return "negative";
  else if (n == 0)
    return "zero";
  else if (n < 10)
    return "small";
  else if (n < 100) {
    if (n % 2 == 0) return "medium-even";
    else return "medium-odd";
  } else
    return "large";
}

int main(void) {
  int tests[] = {-5, 0, 3, 42, 77, 100, 5000};
  int score = 0;
  for (int i = 0; i < 7; i++) {
    const char *c = classify(tests[i]);
    printf("%d: %s\n", tests[i], c);
    if (c[0] == 'm') score += 2;
    else if (c[0] == 's') score += 1;
  }
  /* dangling else binds to nearest if */
  int a = 1, b = 0;
  if (a)
    if (b) printf("a and b\n");
    else printf("a and not b\n");
  /* empty statement bodies */
  if (a) ; else printf("never\n");
  int x = 0;
  if (x = 5) printf("assignment in condition x=%d\n", x);
  if (!(x - 5)) score += 10;
  return score;
}
