/* sort: quicksort (median of three, insertion sort below 16) of n ints from an LCG. */
#include <stdint.h>
#include <stdlib.h>

static int32_t *values;
static int count;

int setup(int n) {
  count = n;
  values = (int32_t *)malloc((size_t)n * sizeof(int32_t));
  return values ? 0 : 1;
}

static void insertion_sort(int32_t *a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    int32_t v = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void swap(int32_t *a, int i, int j) {
  int32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quicksort(int32_t *a, int lo, int hi) {
  while (hi - lo >= 16) {
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    int32_t pivot = a[mid];
    int i = lo;
    int j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    /* Recurse into the smaller side, loop on the larger: bounded stack depth. */
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

uint32_t run(int n) {
  uint32_t s = 2463534242u;
  for (int i = 0; i < n; i++) {
    s = s * 1664525u + 1013904223u;
    values[i] = (int32_t)(s >> 1) - 0x20000000;
  }
  quicksort(values, 0, n - 1);
  uint32_t h = 0;
  for (int i = 0; i < n; i++) {
    if (i > 0 && values[i - 1] > values[i]) return 0xBAD50B7u;
    h = h * 31u + (uint32_t)values[i];
  }
  return h;
}
