#include <stdio.h>

#define N 30000

static double data[N];

static void sift_down(double *a, int start, int end) {
  int root = start;
  while (2 * root + 1 <= end) {
    int child = 2 * root + 1;
    int sw = root;
    if (a[sw] < a[child]) sw = child;
    if (child + 1 <= end && a[sw] < a[child + 1]) sw = child + 1;
    if (sw == root) return;
    double t = a[root]; a[root] = a[sw]; a[sw] = t;
    root = sw;
  }
}

static void heapsort(double *a, int n) {
  for (int start = (n - 2) / 2; start >= 0; start--) sift_down(a, start, n - 1);
  for (int end = n - 1; end > 0; end--) {
    double t = a[end]; a[end] = a[0]; a[0] = t;
    sift_down(a, 0, end - 1);
  }
}

int main(void) {
  unsigned long long s = 88172645463325252ULL;
  for (int i = 0; i < N; i++) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    data[i] = (double)(s % 1000000) / 1000.0 - 500.0;
  }
  heapsort(data, N);
  int ok = 1;
  for (int i = 1; i < N; i++) if (data[i - 1] > data[i]) ok = 0;
  double sum = 0;
  for (int i = 0; i < N; i++) sum += data[i];
  printf("ok=%d min=%.3f max=%.3f median=%.3f sum=%.3f\n", ok, data[0], data[N - 1], data[N / 2], sum);
  return ok;
}
