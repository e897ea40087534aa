#include <stdio.h>

int main(void) {
  int a, b, c;
  a = b = c = 7;
  printf("%d %d %d\n", a, b, c);
  const char *src = "copy me";
  char dst[16];
  char *d = dst;
  const char *s = src;
  while ((*d++ = *s++)) ;
  printf("%s\n", dst);
  int x = 0, n = 0;
  while ((x += 3) < 20) n++;
  printf("x=%d n=%d\n", x, n);
  int y = (a = 2) + (b = 3);
  printf("y=%d a=%d b=%d\n", y, a, b);
  /* assignment value has the type of the left operand */
  unsigned char uc;
  int v = (uc = 300);
  printf("v=%d\n", v);
  double dd;
  int iv = (int)(dd = 2.75);
  printf("iv=%d dd=%.2f\n", iv, dd);
  short sh;
  long long big = (sh = 70000);
  printf("big=%lld\n", big);
  int arr[4] = {0};
  int i = 0;
  arr[1] = (i = 3) * 2;
  printf("arr1=%d i=%d\n", arr[1], i);
  return v + iv;
}
