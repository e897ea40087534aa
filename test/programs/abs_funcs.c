#include <stdio.h>
#include <stdlib.h>

int main(void) {
  int vals[] = {0, 5, -5, 2147483647, -2147483647};
  for (int i = 0; i < 5; i++) printf("abs(%d)=%d\n", vals[i], abs(vals[i]));
  long lv[] = {-100000L, 7L, -2147483647L};
  for (int i = 0; i < 3; i++) printf("labs(%ld)=%ld\n", lv[i], labs(lv[i]));
  long long llv[] = {-9000000000000LL, 12345678901LL, -9223372036854775807LL};
  for (int i = 0; i < 3; i++) printf("llabs(%lld)=%lld\n", llv[i], llabs(llv[i]));
  int dist = 0;
  int pts[] = {3, -7, 12, 0, -20, 5};
  for (int i = 1; i < 6; i++) dist += abs(pts[i] - pts[i - 1]);
  printf("dist=%d\n", dist);
  return dist;
}
