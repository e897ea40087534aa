/* Nested calls to the same small function: the inliner must not mix up parameter bindings. */
#include <stdio.h>

static int max_int(int a, int b) { return a > b ? a : b; }
static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static int add3(int a, int b, int c) { return a + b + c; }

int max3(int r, int g, int b) { return max_int(r, max_int(g, b)); }

int main(void) {
  int acc = 0;
  for (int i = -3; i < 300; i += 37) {
    int m = max3(i, 255 - i, i / 2);
    int c = clamp(clamp(i, 0, 200), clamp(i / 3, -5, 5), clamp(i * 2, 100, 250));
    int s = add3(add3(i, 1, 2), add3(3, add3(i, i, i), 4), max_int(max_int(i, 7), max_int(8, i)));
    printf("%d %d %d %d\n", i, m, c, s);
    acc += m + c + s;
  }
  printf("%d %d %d\n", max3(255, 0, 0), max3(0, 255, 0), max3(0, 0, 255));
  return acc & 255;
}
