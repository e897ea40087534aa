#include <stdio.h>
#include <stdint.h>

static uint64_t s[2] = {0x123456789abcdefULL, 0xfedcba9876543210ULL};

/* xoroshiro128+ */
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t next(void) {
  uint64_t s0 = s[0], s1 = s[1];
  uint64_t r = s0 + s1;
  s1 ^= s0;
  s[0] = rotl(s0, 24) ^ s1 ^ (s1 << 16);
  s[1] = rotl(s1, 37);
  return r;
}

static uint32_t pcg_state = 0x853c49e6u;
static uint64_t pcg64_state = 0x4d595df4d0f33173ULL;
static uint32_t pcg32(void) {
  uint64_t old = pcg64_state;
  pcg64_state = old * 6364136223846793005ULL + 1442695040888963407ULL;
  uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
  uint32_t rot = (uint32_t)(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

int main(void) {
  for (int i = 0; i < 5; i++) printf("xoro %016llx\n", (unsigned long long)next());
  for (int i = 0; i < 5; i++) printf("pcg  %08x\n", pcg32());
  /* estimate pi with 64-bit randoms turned into doubles in [0,1) */
  int inside = 0, n = 200000;
  for (int i = 0; i < n; i++) {
    double x = (next() >> 11) * (1.0 / 9007199254740992.0);
    double y = (next() >> 11) * (1.0 / 9007199254740992.0);
    inside += x * x + y * y < 1.0;
  }
  printf("pi~%.5f\n", 4.0 * inside / n);
  int hist[10] = {0};
  for (int i = 0; i < 10000; i++) hist[pcg32() % 10]++;
  for (int i = 0; i < 10; i++) printf("%d ", hist[i]);
  printf("\n");
  (void)pcg_state;
  return inside & 0xff;
}
