#include <stdio.h>
#include <stdlib.h>

static unsigned rng_state = 42;
static unsigned rng(void) { rng_state = rng_state * 1664525u + 1013904223u; return rng_state >> 8; }

static void swap(int *a, int *b) { int t = *a; *a = *b; *b = t; }

/* 3-way partition (Dijkstra): [lo,lt) < pivot, [lt,gt] == pivot, (gt,hi] > pivot */
static void quicksort(int *a, int lo, int hi) {
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(&a[mid], &a[lo]);
    if (a[hi] < a[lo]) swap(&a[hi], &a[lo]);
    if (a[hi] < a[mid]) swap(&a[mid], &a[hi]);
    int pivot = a[mid];
    int lt = lo, gt = hi, i = lo;
    while (i <= gt) {
      if (a[i] < pivot) swap(&a[lt++], &a[i++]);
      else if (a[i] > pivot) swap(&a[i], &a[gt--]);
      else i++;
    }
    if (lt - lo < hi - gt) {
      quicksort(a, lo, lt - 1);
      lo = gt + 1;
    } else {
      quicksort(a, gt + 1, hi);
      hi = lt - 1;
    }
  }
}

int main(void) {
  int n = 50000;
  int *a = malloc(n * sizeof(int));
  for (int i = 0; i < n; i++) a[i] = (int)(rng() % 100000) - 50000;
  quicksort(a, 0, n - 1);
  int sorted = 1;
  long long checksum = 0;
  for (int i = 1; i < n; i++) if (a[i - 1] > a[i]) sorted = 0;
  for (int i = 0; i < n; i++) checksum = checksum * 31 + a[i];
  printf("sorted=%d min=%d max=%d median=%d checksum=%lld\n", sorted, a[0], a[n - 1], a[n / 2], checksum);
  /* already sorted and reversed and all-equal inputs */
  for (int i = 0; i < n; i++) a[i] = n - i;
  quicksort(a, 0, n - 1);
  printf("reversed ok=%d\n", a[0] == 1 && a[n - 1] == n);
  for (int i = 0; i < n; i++) a[i] = 7;
  quicksort(a, 0, n - 1);
  printf("equal ok=%d\n", a[0] == 7 && a[n - 1] == 7);
  free(a);
  return sorted;
}
