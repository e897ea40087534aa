#include <stdio.h>

#define HERE __LINE__
#define CHECK(c) do { if (!(c)) { printf("check failed at line %d\n", __LINE__); failures++; } } while (0)

int main(void) {
  int failures = 0;
  int l1 = __LINE__;
  int l2 = HERE;
  printf("l1=%d l2=%d\n", l1, l2);
  CHECK(1 + 1 == 2);
  CHECK(2 * 2 == 5);
  CHECK(sizeof(int) == 4);
  printf("stdc=%d\n", __STDC__);
  printf("failures=%d\n", failures);
  return failures * 10 + l1;
}
