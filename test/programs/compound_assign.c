#include <stdio.h>

int main(void) {
  int x = 100;
  x += 5; printf("%d ", x);
  x -= 3; printf("%d ", x);
  x *= 4; printf("%d ", x);
  x /= 3; printf("%d ", x);
  x %= 17; printf("%d ", x);
  x <<= 5; printf("%d ", x);
  x >>= 2; printf("%d ", x);
  x &= 0x3c; printf("%d ", x);
  x |= 0x101; printf("%d ", x);
  x ^= 0xff; printf("%d\n", x);
  /* compound assignment on narrow types truncates on store */
  unsigned char c = 200;
  c += 100; printf("c=%d\n", c);
  c *= 3; printf("c=%d\n", c);
  signed char sc = 100;
  sc += 100; printf("sc=%d\n", sc);
  short s = 30000;
  s += 30000; printf("s=%d\n", s);
  /* compound with double rhs on int lhs: computed in double then converted */
  int i = 10;
  i *= 2.5; printf("i=%d\n", i);
  i += 0.9; printf("i=%d\n", i);
  i /= 0.5; printf("i=%d\n", i);
  /* unsigned with negative rhs */
  unsigned u = 10;
  u += -3; printf("u=%u\n", u);
  u -= 20; printf("u=%u\n", u);
  /* long long compound */
  long long ll = 1;
  for (int k = 0; k < 40; k++) ll *= 3;
  ll %= 1000000007; printf("ll=%lld\n", ll);
  ll <<= 20; printf("ll=%lld\n", ll);
  ll >>= 7; printf("ll=%lld\n", ll);
  /* compound on array element with side-effect index evaluated once */
  int arr[5] = {1, 2, 3, 4, 5};
  int idx = 0;
  arr[idx++] += 10;
  arr[idx++] *= 10;
  printf("arr=%d %d %d idx=%d\n", arr[0], arr[1], arr[2], idx);
  /* compound on pointer */
  int *p = arr;
  p += 3; printf("*p=%d\n", *p);
  p -= 2; printf("*p=%d\n", *p);
  /* float compound */
  float f = 1.5f;
  f *= f; f += 0.25f; printf("f=%f\n", f);
  double d = 10;
  d /= 4; d -= 0.5; printf("d=%f\n", d);
  return x & 0xff;
}
