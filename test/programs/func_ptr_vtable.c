#include <stdio.h>

typedef struct Shape Shape;
typedef struct {
  const char *name;
  double (*area)(const Shape *);
  double (*perimeter)(const Shape *);
  void (*scale)(Shape *, double);
} ShapeVT;

struct Shape { const ShapeVT *vt; double a, b; };

static double rect_area(const Shape *s) { return s->a * s->b; }
static double rect_perim(const Shape *s) { return 2 * (s->a + s->b); }
static void rect_scale(Shape *s, double k) { s->a *= k; s->b *= k; }
static double circ_area(const Shape *s) { return 3.14159 * s->a * s->a; }
static double circ_perim(const Shape *s) { return 2 * 3.14159 * s->a; }
static void circ_scale(Shape *s, double k) { s->a *= k; }
static double tri_area(const Shape *s) { return 0.5 * s->a * s->b; }

static const ShapeVT RECT = {"rect", rect_area, rect_perim, rect_scale};
static const ShapeVT CIRC = {"circle", circ_area, circ_perim, circ_scale};
static const ShapeVT TRI = {"triangle", tri_area, 0, rect_scale};

int main(void) {
  Shape shapes[] = {{&RECT, 2, 3}, {&CIRC, 1, 0}, {&TRI, 4, 5}, {&RECT, 1.5, 1.5}};
  double total = 0;
  for (int i = 0; i < 4; i++) {
    Shape *s = &shapes[i];
    s->vt->scale(s, 2);
    double area = s->vt->area(s);
    total += area;
    if (s->vt->perimeter)
      printf("%s area=%.3f perim=%.3f\n", s->vt->name, area, s->vt->perimeter(s));
    else
      printf("%s area=%.3f perim=n/a\n", s->vt->name, area);
  }
  printf("total=%.3f\n", total);
  return (int)total;
}
