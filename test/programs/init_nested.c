#include <stdio.h>

typedef struct { int x, y; } Pt;
typedef struct { Pt a, b; int color; } Line;
typedef struct { const char *label; Line lines[3]; int n; } Drawing;

static Drawing d = {
  "house",
  {
    {{0, 0}, {10, 0}, 1},
    {{10, 0}, {10, 10}, 2},
    {{10, 10}, {0, 10}, 3},
  },
  3,
};

/* brace elision: flat list fills nested aggregates in order */
static Line flat[2] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static int matrix[2][3] = {1, 2, 3, 4, 5, 6};

int main(void) {
  printf("%s n=%d\n", d.label, d.n);
  int len = 0;
  for (int i = 0; i < d.n; i++) {
    Line *l = &d.lines[i];
    int dx = l->b.x - l->a.x, dy = l->b.y - l->a.y;
    len += (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
    printf("line %d: (%d,%d)-(%d,%d) c=%d\n", i, l->a.x, l->a.y, l->b.x, l->b.y, l->color);
  }
  printf("len=%d\n", len);
  printf("flat: %d %d %d %d %d | %d %d %d %d %d\n", flat[0].a.x, flat[0].a.y, flat[0].b.x, flat[0].b.y,
         flat[0].color, flat[1].a.x, flat[1].a.y, flat[1].b.x, flat[1].b.y, flat[1].color);
  printf("matrix[1][2]=%d\n", matrix[1][2]);
  Line local = {{1, 2}, {3}};
  printf("local: %d %d %d %d %d\n", local.a.x, local.a.y, local.b.x, local.b.y, local.color);
  struct { Pt p[2]; char s[4]; } mixed = {{{1, 1}, {2, 2}}, "ok"};
  printf("mixed: %d %s\n", mixed.p[1].y, mixed.s);
  return len;
}
