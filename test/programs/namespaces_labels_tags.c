#include <stdio.h>

/* C has separate namespaces: labels, tags, members, ordinary identifiers */
struct point { int point; };
typedef struct point point_t;
enum color { red, green };
struct color_holder { enum color color; };

int main(void) {
  struct point point = {5};
  point_t p2 = {point.point + 1};
  int value = 0;
  goto value;
value:
  value = point.point + p2.point;
  struct color_holder color_holder = {green};
  int red_count = red + color_holder.color;
  printf("value=%d red_count=%d\n", value, red_count);
  {
    int point_t = 3; /* shadows the typedef in this block */
    printf("shadowed typedef name as variable=%d\n", point_t);
  }
  point_t p3 = {9};
  printf("typedef visible again=%d\n", p3.point);
  int s = 0;
  for (int i = 0; i < 3; i++) {
    if (i == 1) goto next;
    s += i;
  next:;
  }
  printf("s=%d\n", s);
  return value + s;
}
