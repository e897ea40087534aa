// A conditional whose condition assigns what its arms read: the arms see the assignment.
#include <stdio.h>

int main(void) {
  int i = 0, x = 1;
  int r = i++ ? i : x;
  int s = (x = 0) ? 5 : x;
  int j = 1;
  int t = j++ ? j : 7;
  int k = 3;
  int u = (k += 2, k > 4) ? k : -k;
  int m = 0;
  int v = ({ m = 9; m; }) ? m : 1;
  printf("%d %d %d %d %d\n", r, s, t, u, v);
  return 0;
}
