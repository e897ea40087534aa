// GNU: a static struct whose flexible array member is initialized grows to hold the elements
// (sizeof stays the struct's); brace elision, designators and strings fill the array too.
#include <stdio.h>
struct F { int n; int a[]; };
struct G { char c; short s[]; };
struct F f1 = {2, {1, 2}};
struct F f2 = {3, 4, 5, 6};
struct F f3 = {1};
struct F f4 = {1, {}};
static struct G g = {'x', {7, 8, 9}};
struct F f5 = {.a = {[4] = 9}, .n = 5};
struct H { int n; char s[]; } h = {3, "abc"};
int main(void) {
  printf("%d %d %d %d\n", (int)sizeof f1, (int)sizeof f2, (int)sizeof(f3), (int)sizeof f4);
  printf("%d %d %d %d %d\n", f1.n, f1.a[1], f2.a[2], f5.a[4], (int)sizeof f5);
  printf("%d %d %d\n", (int)sizeof g, g.s[2], (int)sizeof h);
  printf("%s\n", h.s);
  static struct F s = {2, {3, 4}};
  printf("%d %d\n", s.a[1], (int)sizeof s);
  return 0;
}
