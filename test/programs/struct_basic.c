#include <stdio.h>

struct Point { int x, y; };
struct Rect { struct Point min, max; const char *name; };

static int area(struct Rect r) { return (r.max.x - r.min.x) * (r.max.y - r.min.y); }

static void move(struct Rect *r, int dx, int dy) {
  r->min.x += dx; r->max.x += dx;
  r->min.y += dy; r->max.y += dy;
}

int main(void) {
  struct Point p;
  p.x = 3;
  p.y = 4;
  struct Point q = {10, 20};
  struct Rect r = {{0, 0}, {5, 8}, "box"};
  printf("p=(%d,%d) q=(%d,%d)\n", p.x, p.y, q.x, q.y);
  printf("%s area=%d\n", r.name, area(r));
  move(&r, 2, -1);
  printf("moved min=(%d,%d) max=(%d,%d)\n", r.min.x, r.min.y, r.max.x, r.max.y);
  struct Rect *rp = &r;
  rp->max.x *= 2;
  printf("area=%d\n", area(*rp));
  struct Point pts[4] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
  int sx = 0, sy = 0;
  for (int i = 0; i < 4; i++) { sx += pts[i].x; sy += (pts + i)->y; }
  printf("sx=%d sy=%d\n", sx, sy);
  struct { int a; char b; } anon = {1, 'z'};
  printf("anon=%d %c\n", anon.a, anon.b);
  return area(r);
}
