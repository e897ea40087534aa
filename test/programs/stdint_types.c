#include <stdio.h>
#include <stdint.h>
#include <stddef.h>

int main(void) {
  int8_t a = INT8_MIN;
  uint8_t b = UINT8_MAX;
  int16_t c = INT16_MAX;
  uint16_t d = UINT16_MAX;
  int32_t e = INT32_MIN;
  uint32_t f = UINT32_MAX;
  int64_t g = INT64_MAX;
  uint64_t h = UINT64_MAX;
  printf("%d %u %d %u %d %u\n", a, b, c, d, e, f);
  printf("%lld %llu\n", (long long)g, (unsigned long long)h);
  uintptr_t up = (uintptr_t)&a - (uintptr_t)&a;
  intptr_t ip = -1;
  size_t sz = SIZE_MAX;
  printf("up=%u ip=%d size_max=%zu\n", (unsigned)up, (int)ip, sz);
  uint32_t x = 0x9e3779b9u;
  uint64_t y = (uint64_t)x * x;
  printf("y=%llu\n", (unsigned long long)y);
  int32_t neg = -123;
  uint32_t as_u = (uint32_t)neg;
  printf("as_u=%u\n", as_u);
  uint8_t wrap = (uint8_t)(b + 1);
  int8_t swrap = (int8_t)(a - 1);
  printf("wrap=%u swrap=%d\n", wrap, swrap);
  printf("sizes %d %d %d %d\n", (int)sizeof(int_least8_t), (int)sizeof(uint_fast16_t) >= 2,
         (int)sizeof(intmax_t), (int)sizeof(uint_least64_t));
  printf("INT32_C=%d UINT64_C=%llu\n", INT32_C(-5), (unsigned long long)UINT64_C(1) << 63);
  return (int)(y & 0xff);
}
