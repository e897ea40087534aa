#include <stdio.h>
#include <stdbool.h>

static bool is_even(int x) { return x % 2 == 0; }

int main(void) {
  _Bool a = 5;
  bool b = 0.5;
  bool c = -0.0;
  bool d = 256;
  bool e = (char)256;
  printf("a=%d b=%d c=%d d=%d e=%d\n", a, b, c, d, e);
  printf("true=%d false=%d sizeof(bool)=%d\n", true, false, (int)sizeof(bool));
  bool flags[8];
  for (int i = 0; i < 8; i++) flags[i] = is_even(i);
  int cnt = 0;
  for (int i = 0; i < 8; i++) cnt += flags[i];
  printf("evens=%d\n", cnt);
  bool t = true;
  t = t + 1;
  printf("t=%d\n", t);
  t = !t;
  printf("!t=%d\n", t);
  int *p = &cnt;
  bool pb = p;
  printf("pb=%d\n", pb);
  bool x = 3 > 2;
  bool y = x & 2;
  printf("x=%d y=%d x+x=%d\n", x, y, x + x);
  unsigned long long big = 1ULL << 40;
  bool z = big;
  printf("z=%d\n", z);
  return cnt + a + b + d;
}
