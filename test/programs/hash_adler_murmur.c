#include <stdio.h>
#include <stdint.h>
#include <string.h>

static uint32_t adler32(const unsigned char *p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; i++) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

static uint32_t murmur3_32(const unsigned char *key, size_t len, uint32_t seed) {
  uint32_t h = seed;
  const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
  size_t nblocks = len / 4;
  for (size_t i = 0; i < nblocks; i++) {
    uint32_t k;
    memcpy(&k, key + 4 * i, 4);
    k *= c1;
    k = (k << 15) | (k >> 17);
    k *= c2;
    h ^= k;
    h = (h << 13) | (h >> 19);
    h = h * 5 + 0xe6546b64;
  }
  const unsigned char *tail = key + nblocks * 4;
  uint32_t k1 = 0;
  switch (len & 3) {
    case 3: k1 ^= (uint32_t)tail[2] << 16;
    case 2: k1 ^= (uint32_t)tail[1] << 8;
    case 1:
      k1 ^= tail[0];
      k1 *= c1;
      k1 = (k1 << 15) | (k1 >> 17);
      k1 *= c2;
      h ^= k1;
  }
  h ^= (uint32_t)len;
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int main(void) {
  const char *s[] = {"", "a", "ab", "abc", "abcd", "Wikipedia", "hello, world"};
  for (int i = 0; i < 7; i++) {
    size_t n = strlen(s[i]);
    printf("%-14s adler=%08x murmur0=%08x murmur42=%08x\n", s[i], adler32((const unsigned char *)s[i], n),
           murmur3_32((const unsigned char *)s[i], n, 0), murmur3_32((const unsigned char *)s[i], n, 42));
  }
  uint64_t st = 1234567;
  uint64_t x = 0;
  for (int i = 0; i < 1000; i++) x ^= splitmix64(&st);
  printf("splitmix=%016llx\n", (unsigned long long)x);
  return (int)(x >> 58);
}
