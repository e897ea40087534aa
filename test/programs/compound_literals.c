#include <stdio.h>

typedef struct { int x, y; } Pt;

static int manhattan(Pt a, Pt b) {
  int dx = a.x - b.x, dy = a.y - b.y;
  return (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
}

static int sum(const int *a, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}

/* file-scope compound literal has static storage duration */
static Pt *origin = &(Pt){11, 12};

int main(void) {
  printf("d=%d\n", manhattan((Pt){1, 2}, (Pt){4, -2}));
  printf("sum=%d\n", sum((int[]){1, 2, 3, 4, 5}, 5));
  printf("sum2=%d\n", sum((int[10]){[9] = 100, [0] = 1}, 10));
  Pt *p = &(Pt){.y = 7};
  p->x = 3;
  printf("p=(%d,%d)\n", p->x, p->y);
  int *arr = (int[]){10, 20, 30};
  arr[1]++;
  printf("arr=%d %d %d\n", arr[0], arr[1], arr[2]);
  Pt pts[2];
  pts[0] = (Pt){5, 6};
  pts[1] = (Pt){.x = pts[0].y, .y = pts[0].x};
  printf("pts=%d %d %d %d\n", pts[0].x, pts[0].y, pts[1].x, pts[1].y);
  const char *s = (const char *){"literal"};
  printf("%s\n", s);
  double dsum = 0;
  for (int i = 0; i < 3; i++) {
    double *v = (double[3]){i * 1.0, i * 2.0, i * 3.0};
    dsum += v[0] + v[1] + v[2];
  }
  printf("dsum=%.1f\n", dsum);
  int scalar = (int){42};
  printf("scalar=%d\n", scalar);
  origin->x++;
  printf("static cl: %d %d\n", origin->x, origin->y);
  struct { int a[3]; } wrap = {{(int){1}, 2, 3}};
  printf("wrap=%d\n", wrap.a[0] + wrap.a[2]);
  return manhattan(pts[0], pts[1]) + scalar;
}
