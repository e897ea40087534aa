#include <stdio.h>
#include <stdint.h>

/* 64-bit modular arithmetic without __int128: mulmod by doubling */
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) {
  uint64_t r = 0;
  a %= m;
  while (b) {
    if (b & 1) { r += a; if (r >= m || r < a) r -= m; }
    uint64_t a2 = a + a;
    if (a2 >= m || a2 < a) a2 -= m;
    a = a2;
    b >>= 1;
  }
  return r;
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
  uint64_t r = 1 % m;
  b %= m;
  while (e) {
    if (e & 1) r = mulmod(r, b, m);
    b = mulmod(b, b, m);
    e >>= 1;
  }
  return r;
}

static int miller_rabin(uint64_t n) {
  if (n < 2) return 0;
  static const uint64_t small[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  for (int i = 0; i < 12; i++) {
    if (n == small[i]) return 1;
    if (n % small[i] == 0) return 0;
  }
  uint64_t d = n - 1;
  int s = 0;
  while (!(d & 1)) { d >>= 1; s++; }
  for (int i = 0; i < 12; i++) {
    uint64_t x = powmod(small[i], d, n);
    if (x == 1 || x == n - 1) continue;
    int comp = 1;
    for (int r = 1; r < s; r++) {
      x = mulmod(x, x, n);
      if (x == n - 1) { comp = 0; break; }
    }
    if (comp) return 0;
  }
  return 1;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
  while (b) { uint64_t t = a % b; a = b; b = t; }
  return a;
}

int main(void) {
  uint64_t tests[] = {1, 2, 97, 561, 1000000007ULL, 999999999989ULL, 4294967291ULL, 4294967297ULL,
                      18446744073709551557ULL, 18446744073709551556ULL, 3825123056546413051ULL};
  int primes = 0;
  for (int i = 0; i < 11; i++) {
    int p = miller_rabin(tests[i]);
    primes += p;
    printf("%llu %s\n", (unsigned long long)tests[i], p ? "prime" : "composite");
  }
  printf("2^64-59 ^ 12345 mod 1e9+7 = %llu\n", (unsigned long long)powmod(18446744073709551557ULL, 12345, 1000000007ULL));
  printf("mulmod big = %llu\n", (unsigned long long)mulmod(0xfedcba9876543210ULL, 0x0123456789abcdefULL, 0xffffffffffffffc5ULL));
  printf("gcd = %llu\n", (unsigned long long)gcd(1234567890123456789ULL, 987654321987654321ULL));
  return primes;
}
