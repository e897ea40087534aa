#ifndef VEC_H
#define VEC_H

#include "helper.h"

typedef struct {
  double x, y, z;
} Vec3;

static Vec3 vec3(double x, double y, double z) {
  Vec3 v = {x, y, z};
  return v;
}

static Vec3 vec_add(Vec3 a, Vec3 b) { return vec3(a.x + b.x, a.y + b.y, a.z + b.z); }
static Vec3 vec_scale(Vec3 a, double k) { return vec3(a.x * k, a.y * k, a.z * k); }
static double vec_dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static Vec3 vec_cross(Vec3 a, Vec3 b) {
  return vec3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}

#endif
