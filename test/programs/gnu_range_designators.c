// GNU range designators [first ... last]: static and automatic, overridden by later designators,
// completing an array of unknown length, over struct elements and pointers.
#include <stdio.h>
struct P { int x; short y; };
static char s[16] = {[2 ... 10] = 'a', [7] = 'b', [15 ... 15] = 'c', [3 ... 5] = 'd'};
static int w[8] = {[1 ... 6] = 0x01020304, [0] = 9};
static struct P ps[5] = {[1 ... 3] = {7, 8}, [2].y = 5};
static const char *names[4] = {[0 ... 3] = "dflt", [2] = "two"};
static int inferred[] = {[0 ... 4] = 1, 2};
int main(void) {
  char x[] = {[2 ... 10] = 'a', [7] = 'b', [15 ... 15] = 'c', [3 ... 5] = 'd'};
  int k = 3;
  int a[6] = {[0 ... 4] = k * 2};
  struct P lp[4] = {[0 ... 2] = {k, 1}};
  printf("%d %d\n", (int)sizeof x, (int)sizeof inferred);
  for (int i = 0; i < 16; i++) printf("%d/%d ", s[i], x[i]);
  printf("\n");
  for (int i = 0; i < 8; i++) printf("%d ", w[i]);
  for (int i = 0; i < 5; i++) printf("(%d %d) ", ps[i].x, ps[i].y);
  printf("\n%s %s %s %d %d\n", names[0], names[2], names[3], inferred[4], inferred[5]);
  for (int i = 0; i < 6; i++) printf("%d ", a[i]);
  for (int i = 0; i < 4; i++) printf("(%d %d) ", lp[i].x, lp[i].y);
  printf("\n");
  return 0;
}
