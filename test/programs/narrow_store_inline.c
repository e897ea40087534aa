/* Narrow stores of inlined helpers' results: the store truncates, so the helper's own
 * narrowing casts may be dropped, but never a narrowing to fewer bits than the store keeps. */
#include <stdint.h>
#include <stdio.h>

static uint8_t luma(uint32_t r, uint32_t g, uint32_t b) {
  return (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8);
}
static uint8_t low8(int x) { return (uint8_t)(x * 7 + 300); }
static int8_t low8s(int x) { return (int8_t)(x * 5 - 200); }
static int16_t low16(int x) { return (int16_t)(x * 1000 + 12345); }
static unsigned short wide(unsigned x) { return (unsigned short)(x * 40503u); }
static _Bool odd(int x) { return x & 1; }
static int whole(int x) { return x * 1234567; }
static long long big(int x) { return (long long)x * 1000000007LL; }

int main(void) {
  uint8_t g[8];
  int16_t s16[8];
  uint16_t u16[8];
  int8_t s8[8];
  char c[8];
  unsigned h = 0;
  for (int i = 0; i < 8; i++) {
    g[i] = luma((uint32_t)i * 37u, (uint32_t)i * 29u, 255u - (uint32_t)i * 31u);
    s16[i] = low8(i * 91);     /* 8 bits kept, then zero-extended into 16 */
    u16[i] = low8s(i * 77);    /* sign-extended from 8 bits into 16 */
    s8[i] = low16(i * 333);    /* 16 bits narrowed further by the store */
    c[i] = (char)wide((unsigned)i * 100003u);
    h = h * 31u + g[i] + (unsigned)s16[i] + u16[i] + (unsigned)(int)s8[i] + (unsigned)(int)c[i];
  }
  uint8_t b[4];
  b[0] = odd(3);
  b[1] = (uint8_t)whole(77);
  b[2] = (uint8_t)big(123456);
  short sh = (short)big(98765);
  b[3] = (uint8_t)(int8_t)whole(-5);
  struct { uint8_t a; int16_t b; } rec = { low8(1000), low16(-77) };
  printf("%u %u %u %u %u %d %d %d\n", h, b[0], b[1], b[2], b[3], sh, rec.a, rec.b);
  for (int i = 0; i < 8; i++) printf("%d %d %u %d %d\n", g[i], s16[i], u16[i], s8[i], c[i]);
  return 0;
}
