#include <stdio.h>
#include <stdint.h>

static int popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return (int)((x * 0x0101010101010101ULL) >> 56);
}

static int clz64(uint64_t x) {
  if (!x) return 64;
  int n = 0;
  if (!(x >> 32)) { n += 32; x <<= 32; }
  if (!(x >> 48)) { n += 16; x <<= 16; }
  if (!(x >> 56)) { n += 8; x <<= 8; }
  if (!(x >> 60)) { n += 4; x <<= 4; }
  if (!(x >> 62)) { n += 2; x <<= 2; }
  if (!(x >> 63)) n += 1;
  return n;
}

static int ctz64(uint64_t x) {
  if (!x) return 64;
  int n = 0;
  while (!(x & 1)) { x >>= 1; n++; }
  return n;
}

static uint64_t bswap64(uint64_t x) {
  uint64_t r = 0;
  for (int i = 0; i < 8; i++) { r = r << 8 | (x & 0xff); x >>= 8; }
  return r;
}

int main(void) {
  uint64_t vals[] = {0, 1, 0x8000000000000000ULL, 0xffffffffffffffffULL, 0x00000000ffffffffULL,
                     0xffffffff00000000ULL, 0x0123456789abcdefULL, 0x0000100000000000ULL};
  int total = 0;
  for (int i = 0; i < 8; i++) {
    uint64_t v = vals[i];
    printf("%016llx pop=%d clz=%d ctz=%d bswap=%016llx\n", (unsigned long long)v, popcount64(v), clz64(v), ctz64(v),
           (unsigned long long)bswap64(v));
    total += popcount64(v) + clz64(v);
  }
  int64_t s = -0x123456789LL;
  printf("s&0xff=%lld s|1=%lld s^s=%lld ~s=%lld\n", (long long)(s & 0xff), (long long)(s | 1), (long long)(s ^ s),
         (long long)~s);
  return total & 0xff;
}
