#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int key; int seq; } Item;

static void merge_sort(Item *a, Item *tmp, int n) {
  if (n < 2) return;
  int h = n / 2;
  merge_sort(a, tmp, h);
  merge_sort(a + h, tmp, n - h);
  int i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = a[j].key < a[i].key ? a[j++] : a[i++]; /* stable */
  while (i < h) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  memcpy(a, tmp, n * sizeof(Item));
}

/* bottom-up variant on plain ints */
static void merge_sort_bu(int *a, int n) {
  int *b = malloc(n * sizeof(int));
  for (int width = 1; width < n; width *= 2) {
    for (int lo = 0; lo < n; lo += 2 * width) {
      int mid = lo + width < n ? lo + width : n;
      int hi = lo + 2 * width < n ? lo + 2 * width : n;
      int i = lo, j = mid, k = lo;
      while (i < mid && j < hi) b[k++] = a[i] <= a[j] ? a[i++] : a[j++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    memcpy(a, b, n * sizeof(int));
  }
  free(b);
}

int main(void) {
  int n = 20000;
  Item *a = malloc(n * sizeof(Item)), *tmp = malloc(n * sizeof(Item));
  unsigned s = 7;
  for (int i = 0; i < n; i++) {
    s = s * 1103515245u + 12345u;
    a[i].key = (int)((s >> 16) % 500);
    a[i].seq = i;
  }
  merge_sort(a, tmp, n);
  int ok = 1, stable = 1;
  for (int i = 1; i < n; i++) {
    if (a[i - 1].key > a[i].key) ok = 0;
    if (a[i - 1].key == a[i].key && a[i - 1].seq > a[i].seq) stable = 0;
  }
  printf("ok=%d stable=%d first=(%d,%d) last=(%d,%d)\n", ok, stable, a[0].key, a[0].seq, a[n - 1].key, a[n - 1].seq);
  int *b = malloc(n * sizeof(int));
  for (int i = 0; i < n; i++) b[i] = (i * 7919) % n - n / 2;
  merge_sort_bu(b, n);
  int ok2 = 1;
  for (int i = 1; i < n; i++) if (b[i - 1] > b[i]) ok2 = 0;
  printf("bu ok=%d b[0]=%d b[n-1]=%d b[1234]=%d\n", ok2, b[0], b[n - 1], b[1234]);
  free(a);
  free(tmp);
  free(b);
  return ok + stable + ok2;
}
