#include <stdio.h>
#include <string.h>

static void generic_swap(void *a, void *b, size_t size) {
  unsigned char tmp[64];
  memcpy(tmp, a, size);
  memcpy(a, b, size);
  memcpy(b, tmp, size);
}

static void reverse(void *base, size_t n, size_t size) {
  char *lo = base;
  char *hi = (char *)base + (n - 1) * size;
  while (lo < hi) {
    generic_swap(lo, hi, size);
    lo += size;
    hi -= size;
  }
}

typedef struct { int id; double w; } Item;

int main(void) {
  int ints[5] = {1, 2, 3, 4, 5};
  reverse(ints, 5, sizeof ints[0]);
  for (int i = 0; i < 5; i++) printf("%d ", ints[i]);
  printf("\n");
  double ds[4] = {0.5, 1.5, 2.5, 3.5};
  reverse(ds, 4, sizeof(double));
  for (int i = 0; i < 4; i++) printf("%.1f ", ds[i]);
  printf("\n");
  Item items[3] = {{1, 1.25}, {2, 2.5}, {3, 3.75}};
  reverse(items, 3, sizeof(Item));
  for (int i = 0; i < 3; i++) printf("(%d,%.2f) ", items[i].id, items[i].w);
  printf("\n");
  void *vp = ints;
  int *ip = vp;
  printf("ip[0]=%d\n", ip[0]);
  void *vp2 = &items[1];
  Item *it = (Item *)vp2;
  printf("it->id=%d\n", it->id);
  const void *cvp = "bytes";
  printf("first=%c\n", *(const char *)cvp);
  return ints[0] + items[0].id;
}
