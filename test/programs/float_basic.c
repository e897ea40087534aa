#include <stdio.h>

int main(void) {
  float a = 1.5f, b = 2.25f;
  printf("%f %f %f %f\n", a + b, a - b, a * b, a / b);
  float third = 1.0f / 3.0f;
  printf("%.10f\n", third);
  float acc = 0.0f;
  for (int i = 0; i < 1000; i++) acc += 0.1f;
  printf("acc=%.6f\n", acc);
  float big = 16777216.0f;
  printf("big+1=%.1f\n", big + 1.0f);
  float tiny = 1e-30f;
  printf("tiny*tiny=%g\n", tiny * tiny);
  float neg = -3.75f;
  printf("neg=%f abs-ish=%f\n", neg, neg < 0 ? -neg : neg);
  float arr[5] = {3.5f, -1.25f, 8.0f, 0.125f, 2.0f};
  float mx = arr[0], mn = arr[0], sum = 0;
  for (int i = 0; i < 5; i++) {
    if (arr[i] > mx) mx = arr[i];
    if (arr[i] < mn) mn = arr[i];
    sum += arr[i];
  }
  printf("max=%f min=%f sum=%f avg=%f\n", mx, mn, sum, sum / 5);
  printf("float eq: %d %d\n", 0.1f + 0.2f == 0.3f, 0.5f + 0.25f == 0.75f);
  float x = 3.0f;
  x = x * x - 2.0f * x + 1.0f;
  printf("x=%f\n", x);
  return (int)(sum * 4);
}
