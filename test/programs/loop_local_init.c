#include <stdio.h>
#include <string.h>

static int param_shadow(int x) {
  int total = x;
  {
    int x = 100; /* shadows the parameter */
    total += x;
  }
  return total + x;
}

int main(void) {
  int sum = 0;
  for (int i = 0; i < 4; i++) {
    /* initializers run on every iteration */
    char buf[8] = "abc";
    int arr[4] = {0};
    struct { int a, b; } s = {i, i * 2};
    buf[i] = 'X';
    arr[i] = i + 1;
    int nz = 0;
    for (int k = 0; k < 4; k++) nz += arr[k] != 0;
    printf("iter %d: buf=%s nz=%d s=%d,%d\n", i, buf, nz, s.a, s.b);
    sum += nz + (int)strlen(buf);
  }
  int n = 0;
  while (n < 3) {
    int fresh = 5; /* re-initialized each time */
    fresh += n;
    printf("fresh=%d\n", fresh);
    n++;
  }
  printf("param_shadow=%d\n", param_shadow(7));
  return sum;
}
