#include <stdio.h>

static int bsearch_int(const int *a, int n, int key) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] == key) return mid;
    if (a[mid] < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -(lo + 1);
}

static int lower_bound(const int *a, int n, int key) {
  int lo = 0, hi = n;
  while (lo < hi) {
    int mid = (lo + hi) >> 1;
    if (a[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static double sqrt_bisect(double x) {
  double lo = 0, hi = x > 1 ? x : 1;
  for (int i = 0; i < 100; i++) {
    double mid = (lo + hi) / 2;
    if (mid * mid < x) lo = mid;
    else hi = mid;
  }
  return lo;
}

int main(void) {
  int a[100];
  for (int i = 0; i < 100; i++) a[i] = i * 3 + (i > 50 ? 1 : 0);
  int keys[] = {0, 3, 150, 151, 152, 298, -5, 1000, 77};
  int found = 0;
  for (int i = 0; i < 9; i++) {
    int r = bsearch_int(a, 100, keys[i]);
    printf("key %d -> %d (lb %d)\n", keys[i], r, lower_bound(a, 100, keys[i]));
    found += r >= 0;
  }
  int dup[] = {1, 2, 2, 2, 3, 5, 5, 8};
  printf("lb(2)=%d lb(5)=%d lb(4)=%d lb(9)=%d\n", lower_bound(dup, 8, 2), lower_bound(dup, 8, 5),
         lower_bound(dup, 8, 4), lower_bound(dup, 8, 9));
  printf("sqrt(2)=%.12f sqrt(1e6)=%.6f\n", sqrt_bisect(2), sqrt_bisect(1e6));
  return found;
}
