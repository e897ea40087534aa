#include <stdio.h>
#include "helper.h"
#include "helper.h"
#include "vec.h"

int main(void) {
  Tally t = {0, 0};
  Vec3 a = vec3(1, 0, 0), b = vec3(0, 1, 0);
  Vec3 c = vec_cross(a, b);
  Vec3 d = vec_add(vec_scale(a, 2), c);
  tally_add(&t, (int)vec_dot(d, d));
  printf("c=(%.1f,%.1f,%.1f) d=(%.1f,%.1f,%.1f) dot=%d\n", c.x, c.y, c.z, d.x, d.y, d.z, t.total);
  return t.total;
}
