#include <stdio.h>
#include <math.h>

typedef struct { double x, y, z; } V;
static V v(double x, double y, double z) { V r = {x, y, z}; return r; }
static V sub(V a, V b) { return v(a.x - b.x, a.y - b.y, a.z - b.z); }
static double dot(V a, V b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static V scale(V a, double k) { return v(a.x * k, a.y * k, a.z * k); }
static V norm(V a) { return scale(a, 1.0 / sqrt(dot(a, a))); }

typedef struct { V c; double r; } Sphere;

static double hit(Sphere s, V o, V d) {
  V oc = sub(o, s.c);
  double b = dot(oc, d), c = dot(oc, oc) - s.r * s.r;
  double disc = b * b - c;
  if (disc < 0) return -1;
  double t = -b - sqrt(disc);
  return t > 1e-6 ? t : -1;
}

int main(void) {
  Sphere spheres[3] = {{{0, 0, 5}, 1.5}, {{2.2, 0.6, 6}, 1.0}, {{0, -101.5, 5}, 100}};
  V light = norm(v(-1, 1, -1));
  const char *ramp = ".,:;=+*#%@";
  double total = 0;
  for (int y = 0; y < 24; y++) {
    for (int x = 0; x < 60; x++) {
      V d = norm(v((x - 30) / 30.0 * 1.2, (12 - y) / 12.0 * 0.6, 1));
      double best = 1e30;
      int idx = -1;
      for (int i = 0; i < 3; i++) {
        double t = hit(spheres[i], v(0, 0, 0), d);
        if (t > 0 && t < best) { best = t; idx = i; }
      }
      if (idx < 0) { putchar(' '); continue; }
      V p = scale(d, best);
      V n = norm(sub(p, spheres[idx].c));
      double l = dot(n, light);
      /* shadow ray */
      for (int i = 0; i < 3; i++)
        if (i != idx && hit(spheres[i], p, light) > 0) { l *= 0.3; break; }
      if (l < 0) l = 0;
      total += l;
      int k = (int)(l * 9.999);
      putchar(ramp[k]);
    }
    putchar('\n');
  }
  printf("brightness=%.3f\n", total);
  return (int)total & 0xff;
}
