#include <stdio.h>

#define MULTI_LINE_SUM(a, b, c) \
  ((a) +                        \
   (b) +                        \
   (c))

#define MSG "first part, " \
            "second part"

int main(void) {
  int total = MULTI_LINE_SUM(1,
                             2,
                             3);
  printf("total=%d\n", total);
  printf("%s\n", MSG);
  int sp\
lit = 5;
  printf("split identifier=%d\n", split);
  const char *s = "string with \
continuation";
  printf("%s\n", s);
  // a line comment with continuation \
  total = 1000;
  printf("total still=%d\n", total);
  /* block
     comment */ total += 1;
  printf("after block comment=%d\n", total);
  return total;
}
