// GNU's obsolete array designator without '=' (`[3] 7`), in static, automatic and compound
// literal initializers.
#include <stdio.h>
int a[10] = { [3] 7, [5] 9, 1 };
int main(void) {
  int b[4] = { [2] 5 };
  printf("%d %d %d %d %d\n", a[3], a[5], a[6], b[2], ((int[10]){ [3] 7 })[3]);
  return 0;
}
