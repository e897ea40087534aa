#include <stdio.h>
#include <stdint.h>

union FloatBits { float f; uint32_t u; unsigned char b[4]; };
union DoubleBits { double d; uint64_t u; uint32_t w[2]; };

int main(void) {
  union FloatBits fb;
  float samples[] = {1.0f, -2.0f, 0.5f, 3.14159f, 0.0f, -0.0f};
  for (int i = 0; i < 6; i++) {
    fb.f = samples[i];
    printf("%g -> %08x sign=%u exp=%u mant=%06x b0=%02x\n", fb.f, fb.u, fb.u >> 31, (fb.u >> 23) & 0xff,
           fb.u & 0x7fffff, fb.b[0]);
  }
  union DoubleBits db;
  db.d = 1.0;
  printf("1.0 = %016llx lo=%08x hi=%08x\n", (unsigned long long)db.u, db.w[0], db.w[1]);
  db.u = 0x400921fb54442d18ULL;
  printf("pi bits -> %.15f\n", db.d);
  union { int i; char c; short s; } u;
  u.i = 0x41424344;
  printf("c=%c s=%x sizeof=%d\n", u.c, u.s, (int)sizeof u);
  union FloatBits fb2 = {.u = 0x3f800000};
  printf("fb2.f=%f\n", fb2.f);
  union FloatBits fb3 = {2.5f}; /* initializes first member */
  printf("fb3.u=%08x\n", fb3.u);
  return (int)(fb.u >> 24);
}
