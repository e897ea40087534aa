#include <stdio.h>

int main(void) {
  int n = 100000;
  float naive = 0.0f, sum = 0.0f, c = 0.0f;
  for (int i = 0; i < n; i++) {
    float x = 0.1f;
    naive += x;
    float y = x - c;
    float t = sum + y;
    c = (t - sum) - y;
    sum = t;
  }
  printf("float naive=%.4f kahan=%.4f\n", naive, sum);
  double dn = 0, ds = 0, dc = 0;
  for (int i = 1; i <= n; i++) {
    double x = 1.0 / ((double)i * i);
    dn += x;
    double y = x - dc;
    double t = ds + y;
    dc = (t - ds) - y;
    ds = t;
  }
  printf("double naive=%.15f kahan=%.15f\n", dn, ds);
  /* pairwise summation of an array */
  static double arr[4096];
  for (int i = 0; i < 4096; i++) arr[i] = (i % 7) * 0.1 + 1e-3 * i;
  for (int w = 1; w < 4096; w *= 2)
    for (int i = 0; i + w < 4096; i += 2 * w) arr[i] += arr[i + w];
  printf("pairwise=%.10f\n", arr[0]);
  return (int)sum;
}
