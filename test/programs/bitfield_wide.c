// `long long` bit-fields of 33 to 63 bits against gcc -m32: gcc gives such a field an N-bit
// integer type, which the usual arithmetic conversions keep (by precision: it beats int and
// unsigned int, loses to long long, and at equal width unsigned wins), so arithmetic on it
// wraps at N bits. Every operator, mixed operand types, comparisons, ?:, casts, variadic
// arguments, compound assignments, ++/--, sizeof, typeof and _Generic, at several widths and
// for bit patterns around the edges. Each line is a hash over all value pairs of one operation.
#include <stdarg.h>
#include <stdio.h>

static const unsigned long long VALUES[] = {
  0ULL, 1ULL, 2ULL, 3ULL, 7ULL, 0x7fULL, 0xffffffffULL, 0x100000000ULL, 0x123456789abcdef0ULL,
  0xfedcba9876543210ULL, 0x5555555555555555ULL, 0xaaaaaaaaaaaaaaaaULL, 0x7fffffffffffffffULL,
  0x8000000000000000ULL, 0xffffffffffffffffULL, 0xfffffffffffffffeULL, 0x0000008000000000ULL,
  0x0000007fffffffffULL, 0x00000000deadbeefULL, 0x4000000000000001ULL,
};
#define NV ((int)(sizeof VALUES / sizeof VALUES[0]))

static unsigned long long hash;
static void mix(unsigned long long v) { hash = (hash ^ v) * 0x100000001b3ULL; }
static void mixd(double d) {
  union { double d; unsigned long long bits; } v;
  v.d = d;
  mix(v.bits);
}
static void report(int width, const char *what) {
  printf("%2d %-14s %016llx\n", width, what, hash);
  hash = 0xcbf29ce484222325ULL;
}

// A variadic callee reads the argument as the 8 bytes gcc passes.
static unsigned long long va_first(int n, ...) {
  va_list ap;
  va_start(ap, n);
  unsigned long long v = va_arg(ap, unsigned long long);
  va_end(ap);
  return v + (unsigned long long)n;
}

static long long as_ll(long long v) { return v; }
static int as_int(int v) { return v; }

// The N-bit minimum divided by -1 overflows: undefined even with -fwrapv, and gcc's result
// depends on the optimisation level.
#define MIN_BY_MINUS_ONE(N, a, b) ((a) == -(1LL << ((N) - 1)) && (b) == -1)

#define KIND(v) _Generic((v), int: 1, unsigned: 2, long long: 3, unsigned long long: 4, \
                         double: 5, default: 9)

#define WIDE_TEST(N)                                                                              \
  struct W##N {                                                                                   \
    unsigned long long u : N;                                                                     \
    long long s : N;                                                                              \
    unsigned char pad : 3;                                                                        \
    unsigned long long v : N;                                                                     \
    long long t : N;                                                                              \
  };                                                                                              \
  static void test##N(void) {                                                                     \
    struct W##N x = { 0, 0, 0, 0, 0 };                                                            \
    int i, j;                                                                                     \
    printf("width %d: sizeof u+0 %d s*2 %d -u %d; kinds u %d s %d u+0 %d s+1u %d u+1LL %d "       \
           "u+1ULL %d s+1.0 %d u,s %d c?u:s %d c?s:0 %d u=1 %d s++ %d (ull)u %d\n",               \
           N, (int)sizeof(x.u + 0), (int)sizeof(x.s * 2), (int)sizeof(-x.u), KIND(x.u),          \
           KIND(x.s), KIND(x.u + 0), KIND(x.s + 1u), KIND(x.u + 1LL), KIND(x.u + 1ULL),          \
           KIND(x.s + 1.0), KIND((x.u, x.s)), KIND(1 ? x.u : x.s), KIND(0 ? x.s : 0),            \
           KIND(x.u = 1), KIND(x.s++), KIND((unsigned long long)x.u));                            \
    for (i = 0; i < NV; i++)                                                                      \
      for (j = 0; j < NV; j++) {                                                                  \
        x.u = VALUES[i], x.s = VALUES[i], x.v = VALUES[j], x.t = VALUES[j];                       \
        mix(x.u + x.v), mix(x.s + x.t), mix(x.u - x.v), mix(x.s - x.t);                           \
        mix(x.u * x.v), mix(x.s * x.t), mix(x.u & x.v), mix(x.s | x.t), mix(x.u ^ x.t);           \
        if (x.v) mix(x.u / x.v), mix(x.u % x.v);                                                  \
        if (x.t) mix(x.s % x.t), mix(x.u / x.t), mix(x.s % x.v);                                  \
        if (x.t && !MIN_BY_MINUS_ONE(N, x.s, x.t)) mix(x.s / x.t);                                \
      }                                                                                           \
    report(N, "field op field");                                                                  \
    for (i = 0; i < NV; i++)                                                                      \
      for (j = 0; j < NV; j++) {                                                                  \
        int k = (int)VALUES[j];                                                                   \
        unsigned uk = (unsigned)VALUES[j];                                                        \
        long long lk = (long long)VALUES[j];                                                      \
        x.u = VALUES[i], x.s = VALUES[i];                                                         \
        mix(x.u + k), mix(x.s + k), mix(x.u - uk), mix(x.s - uk), mix(x.u * k), mix(x.s * uk);    \
        mix(x.u + lk), mix(x.s * lk), mix(x.u + VALUES[j]), mix(x.s - VALUES[j]);                 \
        mix(k - x.u), mix(uk * x.s), mix(x.u + x.s), mix(x.s - x.u);                              \
        if (k) mix(x.u / k), mix(x.u % k), mix(x.s % k);                                          \
        if (k && !MIN_BY_MINUS_ONE(N, x.s, k)) mix(x.s / k);                                      \
        if (uk) mix(x.u / uk), mix(x.s / uk), mix(x.s % uk);                                      \
        if (lk) mix(x.u / lk), mix(x.s % lk);                                                     \
      }                                                                                           \
    report(N, "mixed types");                                                                     \
    for (i = 0; i < NV; i++) {                                                                    \
      x.u = VALUES[i], x.s = VALUES[i];                                                           \
      for (j = 0; j < N; j += 3) {                                                                \
        mix(x.u << j), mix(x.s << j), mix(x.u >> j), mix(x.s >> j);                               \
        mix((x.u + 1) >> j), mix((x.s - 1) >> j), mix(1ULL << (x.u & 63) >> j);                   \
      }                                                                                           \
      mix(-x.u), mix(-x.s), mix(~x.u), mix(~x.s), mix(+x.u), mix(!x.u), mix(!x.s);                \
      mix(-x.u >> 1), mix(~x.u >> 1), mix(~x.s >> 1), mix(-x.s >> 1);                            \
    }                                                                                             \
    report(N, "shifts, unary");                                                                   \
    for (i = 0; i < NV; i++)                                                                      \
      for (j = 0; j < NV; j++) {                                                                  \
        x.u = VALUES[i], x.s = VALUES[i], x.v = VALUES[j], x.t = VALUES[j];                       \
        mix(x.u < x.v), mix(x.s < x.t), mix(x.u < x.t), mix(x.s >= x.v), mix(x.u == x.s);         \
        mix(x.u + 1 > x.v), mix(x.s - 1 < x.t), mix(x.u > -1), mix(x.u == -1), mix(x.s < 0u);    \
        mix(x.s < 0ULL), mix(x.u - 1 < 5), mix(x.s + 1 <= x.u), mix(x.u != x.t);                  \
        mix(i & 1 ? x.u + 1 : x.s), mix(i & 1 ? x.s : -1), mix(i & 1 ? x.u : -1LL);               \
        mix(i & 1 ? x.s - 1 : 1ULL), mix(j & 1 ? x.u * 3 : (int)x.v);                             \
        mix(x.u && x.t), mix(x.s || x.v - 1);                                                     \
      }                                                                                           \
    report(N, "compare, ?:");                                                                     \
    for (i = 0; i < NV; i++) {                                                                    \
      x.u = VALUES[i], x.s = VALUES[i];                                                           \
      mix((int)x.u), mix((int)x.s), mix((unsigned)x.u), mix((short)x.s), mix((_Bool)x.u);         \
      mix((unsigned char)(x.s + 1)), mix((long long)(x.u + 1)), mix((unsigned long long)x.s);    \
      mixd((double)x.u), mixd((double)x.s), mixd((float)x.u), mixd((float)x.s);                  \
      mixd(x.u * 1.5), mixd(x.s / 3.0), mixd((double)(x.u + 1)), mixd((float)(x.s - 1));          \
      mix((unsigned long long)(x.u * 2)), mix((long long)(x.s * 2));                             \
      mix(as_ll(x.u + 1)), mix(as_ll(x.s * 5)), mix(as_int(x.u)), mix(as_int(x.s - 1));           \
      mix(va_first(1, x.u + 1)), mix(va_first(2, x.s * 3)), mix(va_first(3, -x.u));              \
      mix(va_first(4, x.s)), mix(va_first(5, ~x.u));                                             \
      {                                                                                           \
        long long ll = x.u * 3;                                                                   \
        unsigned long long ull = x.s - 2;                                                         \
        double d = x.s * 7;                                                                       \
        __typeof__(x.u + 0) tu = x.u;                                                             \
        __typeof__(x.s + 0) ts = -1;                                                              \
        tu += 5, ts *= 3, ts += x.s;                                                              \
        mix(ll), mix(ull), mixd(d), mix(tu), mix(ts), mix(tu * 0x10001), mix(sizeof tu);           \
      }                                                                                           \
    }                                                                                             \
    report(N, "conversions");                                                                     \
    for (i = 0; i < NV; i++)                                                                      \
      for (j = 0; j < NV; j++) {                                                                  \
        int k = (int)VALUES[j];                                                                   \
        unsigned long long w = VALUES[j];                                                         \
        x.u = VALUES[i], x.s = VALUES[i];                                                         \
        mix(x.u += k), mix(x.s += k), mix(x.u -= w), mix(x.s -= w), mix(x.u *= k), mix(x.s *= k); \
        mix(x.u ^= w), mix(x.s |= k), mix(x.u &= ~w), mix(x.u <<= (unsigned)k % N);               \
        mix(x.s <<= (unsigned)k % N), mix(x.s >>= j & 31), mix(x.u >>= j & 31);                   \
        if (k && !MIN_BY_MINUS_ONE(N, x.s, k)) mix(x.s /= k);                                     \
        if (k) mix(x.u /= k), mix(x.u %= k), mix(x.s %= k);                                       \
        if (w) mix(x.u /= w), mix(x.s %= w);                                                      \
        x.u = VALUES[i], x.s = VALUES[i];                                                         \
        x.u >>= 1, x.s >>= 2; /* keeps the double results in range */                            \
        mix(x.u += 0.5 * (k & 0xffff)), mix(x.s -= 1.25 * (k & 0xffff));                          \
        mix(x.u), mix(x.s);                                                                       \
      }                                                                                           \
    report(N, "compound");                                                                        \
    for (i = 0; i < NV; i++) {                                                                    \
      x.u = VALUES[i], x.s = VALUES[i];                                                           \
      mix(x.u++), mix(x.u), mix(++x.u), mix(x.s++), mix(x.s), mix(++x.s);                         \
      mix(x.u--), mix(--x.u), mix(x.s--), mix(--x.s), mix(x.u), mix(x.s);                         \
      mix(x.u++ + 1), mix(x.s-- * 2), mix(++x.u * 2), mix(--x.s + 1);                             \
      x.u = -1, x.s = (1ULL << (N - 1)) - 1;                                                      \
      mix(x.u++), mix(x.u), mix(x.s++), mix(x.s), mix(x.s--), mix(x.s);                           \
      mix((x.u = VALUES[i]) + 1), mix((x.s = VALUES[i]) * 2);                                     \
    }                                                                                             \
    report(N, "++, --, =");                                                                       \
    for (i = 0; i < NV; i++) {                                                                    \
      int hit = 0;                                                                                \
      x.u = VALUES[i];                                                                            \
      switch (x.u - 1) {                                                                          \
      case -1: hit = 1; break;                                                                    \
      case 0: hit = 2; break;                                                                     \
      case 1: hit = 3; break;                                                                     \
      default: hit = 4;                                                                           \
      }                                                                                           \
      mix(hit);                                                                                   \
    }                                                                                             \
    report(N, "switch");                                                                          \
  }

WIDE_TEST(33)
WIDE_TEST(34)
WIDE_TEST(39)
WIDE_TEST(40)
WIDE_TEST(47)
WIDE_TEST(48)
WIDE_TEST(53)
WIDE_TEST(56)
WIDE_TEST(62)
WIDE_TEST(63)

// Two fields of different widths, and a full-width one: the wider precision decides.
struct Mixed {
  unsigned long long u33 : 33;
  long long s40 : 40;
  unsigned long long u40 : 40;
  long long s63 : 63;
  unsigned long long u64 : 64;
  unsigned long long u32 : 32;
};

static void test_mixed(void) {
  struct Mixed m;
  int i, j;
  printf("kinds: u33+s40 %d s40+u40 %d u64+s40 %d u32+s40 %d s63+u33 %d u32+1 %d\n",
         KIND(m.u33 + m.s40), KIND(m.s40 + m.u40), KIND(m.u64 + m.s40), KIND(m.u32 + m.s40),
         KIND(m.s63 + m.u33), KIND(m.u32 + 1));
  for (i = 0; i < NV; i++)
    for (j = 0; j < NV; j++) {
      m.u33 = VALUES[i], m.s40 = VALUES[j], m.u40 = VALUES[j], m.s63 = VALUES[i];
      m.u64 = VALUES[j], m.u32 = VALUES[i];
      mix(m.u33 + m.s40), mix(m.s40 - m.u33), mix(m.u40 + m.s40), mix(m.s40 * m.u40);
      mix(m.u33 < m.s40), mix(m.s40 < m.u40), mix(m.u64 + m.s40), mix(m.s63 + m.u40);
      mix(m.u32 + m.s40), mix(m.u32 * m.u33), mix(m.s63 * m.s40), mix(m.s63 < m.u33);
      mix(i & 1 ? m.u33 : m.s40), mix(i & 1 ? m.u40 : m.s40), mix(i & 1 ? m.s63 : m.u40);
      if (m.s40) mix(m.u33 / m.s40), mix(m.u40 % m.s40);
      m.u33 += m.s40, m.s40 -= m.u64, m.u40 *= m.s63, m.s63 ^= m.u33;
      mix(m.u33), mix(m.s40), mix(m.u40), mix(m.s63);
    }
  report(0, "mixed widths");
}

int main(void) {
  hash = 0xcbf29ce484222325ULL;
  test33();
  test34();
  test39();
  test40();
  test47();
  test48();
  test53();
  test56();
  test62();
  test63();
  test_mixed();
  return 0;
}
