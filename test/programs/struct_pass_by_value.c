#include <stdio.h>

typedef struct { double x, y; } Vec2;
typedef struct { int data[8]; int len; } Small;
typedef struct { char c; long long big; short s; } Mixed;

static double len2(Vec2 v) { return v.x * v.x + v.y * v.y; }
static void mutate(Small s) { s.data[0] = 999; s.len = -1; } /* caller's copy unchanged */
static int sum(Small s) { int t = 0; for (int i = 0; i < s.len; i++) t += s.data[i]; return t; }
static long long mixed_val(Mixed m, int k) { return m.c + m.big * k + m.s; }
static Vec2 add(Vec2 a, Vec2 b) { Vec2 r = {a.x + b.x, a.y + b.y}; return r; }
static int many(int a, Vec2 v, char c, Mixed m, double d, Small s) {
  return a + (int)v.x + c + (int)m.big + (int)d + s.len;
}

int main(void) {
  Vec2 v = {3, 4};
  printf("len2=%.1f\n", len2(v));
  Small s = {{1, 2, 3, 4, 5, 6, 7, 8}, 8};
  mutate(s);
  printf("after mutate: data0=%d len=%d sum=%d\n", s.data[0], s.len, sum(s));
  Mixed m = {'a', 10000000000LL, -3};
  printf("mixed=%lld\n", mixed_val(m, 3));
  Vec2 w = add(v, add(v, (Vec2){0.5, 0.25}));
  printf("w=(%.2f,%.2f)\n", w.x, w.y);
  printf("many=%d\n", many(1, v, 'b', m, 2.9, s));
  Vec2 arr[3] = {{1, 1}, {2, 2}, {3, 3}};
  double tot = 0;
  for (int i = 0; i < 3; i++) tot += len2(arr[i]);
  printf("tot=%.1f\n", tot);
  return sum(s);
}
