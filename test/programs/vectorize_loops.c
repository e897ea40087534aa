/* Loops the vectoriser runs in SIMD lanes (cc/vectorize-plan.ts), on every length 0..67 and
 * several alignments, with negative values, wraparound and overlapping or identical pointers
 * (the runtime overlap check must fall back to the scalar loop). gcc is the oracle. */
#include <stdint.h>
#include <stdio.h>

#define N 400

static uint8_t u8a[N], u8b[N], u8c[N], u8o[N];
static int8_t s8a[N];
static int16_t s16a[N], s16o[N];
static uint16_t u16a[N];
static int32_t i32a[N], i32o[N];
static uint32_t u32a[N], u32o[N];
static uint32_t hash = 2166136261u;

static void mix_bytes(const void *p, int n) {
  const uint8_t *b = (const uint8_t *)p;
  for (int i = 0; i < n; i++) hash = (hash ^ b[i]) * 16777619u;
}

static void fill(uint32_t seed) {
  uint32_t s = seed;
  for (int i = 0; i < N; i++) {
    s = s * 1664525u + 1013904223u;
    u8a[i] = (uint8_t)(s >> 24);
    u8b[i] = (uint8_t)(s >> 16);
    u8c[i] = (uint8_t)(s >> 8);
    s8a[i] = (int8_t)(s >> 20);
    s16a[i] = (int16_t)(s >> 12);
    u16a[i] = (uint16_t)(s >> 5);
    i32a[i] = (int32_t)s;
    u32a[i] = s * 2654435761u;
    u8o[i] = 0;
    s16o[i] = 0;
    i32o[i] = 0;
    u32o[i] = 0;
  }
}

static int iabs(int v) { return v < 0 ? -v : v; }

/* The task's examples. */
static void gray_planes(uint8_t *out, const uint8_t *a, const uint8_t *b, const uint8_t *c, int n) {
  for (int i = 0; i < n; i++) out[i] = (a[i] * 77 + b[i] * 150 + c[i] * 29) >> 8;
}
static void threshold(uint8_t *dst, const uint8_t *src, int n, int t) {
  for (int i = 0; i < n; i++) dst[i] = src[i] > t ? 255 : 0;
}
static void avg3(uint8_t *d, const uint8_t *s, int n) {
  for (int i = 0; i < n; i++) d[i] = (s[i] + s[i + 1] + s[i + 2]) / 3;
}
/* The blur kernel's row: 9 loads through three row pointers, negative offsets, sum / 9. */
static void blur_row(uint8_t *out, const uint8_t *up, const uint8_t *mid, const uint8_t *down, int w) {
  for (int x = 1; x < w - 1; x++) {
    uint32_t sum = (uint32_t)up[x - 1] + up[x] + up[x + 1] + mid[x - 1] + mid[x] + mid[x + 1] +
                   down[x - 1] + down[x] + down[x + 1];
    out[x] = (uint8_t)(sum / 9);
  }
}
/* The sobel kernel's row: inlined iabs, a clamp. */
static void sobel_row(uint8_t *o, const uint8_t *a, const uint8_t *b, const uint8_t *c, int w) {
  for (int x = 1; x < w - 1; x++) {
    int gx = (a[x + 1] + 2 * b[x + 1] + c[x + 1]) - (a[x - 1] + 2 * b[x - 1] + c[x - 1]);
    int gy = (c[x - 1] + 2 * c[x] + c[x + 1]) - (a[x - 1] + 2 * a[x] + a[x + 1]);
    int m = iabs(gx) + iabs(gy);
    o[x] = (uint8_t)(m > 255 ? 255 : m);
  }
}
/* Signed division and remainder (truncation toward zero) of negative values. */
static void signed_div(int32_t *d, const int16_t *s, int n) {
  for (int i = 0; i < n; i++) {
    int t = s[i] * 3 - 7;
    d[i] = t / 7 + t % 5 + t / 4 - t % 8 + iabs(t) - (t > 100 ? 100 : t);
  }
}
/* In place, signed char wraparound, the index as a value. */
static void inplace_s8(int8_t *a, int n) {
  for (int i = 0; i < n; i++) a[i] = (int8_t)(a[i] * 3 + i);
}
/* int wraparound, shifts of negatives, bitwise and logical operators. */
static void int_ops(int32_t *d, const int32_t *s, int n, int k) {
  for (int i = 0; i < n; i++) {
    int v = s[i];
    d[i] = v * 65537 + (v >> 3) - (v << 5) + (~v & k) + !v + (v > k && v < 0) + (v == k || v & 1);
  }
}
static void uint_ops(uint32_t *d, const uint32_t *s, int n) {
  for (int i = 0; i < n; i++) d[i] = (s[i] - 5u) / 10u + (s[i] >> 7) + (s[i] < 1000u) + s[i] % 3u;
}
/* Truncating stores into 16-bit elements, mixed element sizes. */
static void to_short(int16_t *d, const uint16_t *s, const int8_t *t, int n) {
  for (int i = 0; i < n; i++) d[i] = (int16_t)(s[i] * 300 + t[i]);
}
static void widen(int32_t *d, const uint8_t *a, const int16_t *b, int n) {
  for (int i = 0; i < n; i++) d[i] = a[i] * b[i] - (b[i] >> 2);
}
/* A temporary reassigned, unsigned char arithmetic that wraps in the store. */
static void reassign(uint8_t *d, const uint8_t *a, const uint8_t *b, int n) {
  for (int i = 0; i < n; i++) {
    int t = a[i] - b[i];
    t = t < 0 ? -t : t;
    t = t * 7 + 200;
    d[i] = (uint8_t)t;
  }
}
/* Values that fit 16 bits (i16x8 lanes): signed bytes, shifts, power-of-two division of
 * non-negative values, min/max and abs patterns, truncation into signed char. */
static void short_lanes(int8_t *d, const int8_t *a, const uint8_t *b, int n) {
  for (int i = 0; i < n; i++) {
    int x = a[i] * 9 - (b[i] >> 1);
    int y = (b[i] * 5) / 8 + (b[i] % 16) - (x < -300 ? -300 : x);
    int z = x > y ? x : y;
    d[i] = (int8_t)((z < 0 ? -z : z) + (x <= y) - (a[i] > 0 ? a[i] : 0));
  }
}
/* Values up to 65535 (i16x8 lanes read as unsigned): compares, min/max, shifts, power-of-two
 * division and remainder of values above 32767, stores that wrap into a signed type. */
static void unsigned_lanes(int16_t *d, const uint8_t *a, const uint8_t *b, int n) {
  for (int i = 0; i < n; i++) {
    int x = a[i] * 200 + b[i];
    int y = b[i] * 250 + 1000;
    int m = x < y ? x : y;
    int big = x > y ? x : y;
    int c = (x >= 40000) + (y > x) * 2 + (x == y) + (x <= 33000);
    d[i] = m / 4 + (big >> 3) + big % 64 + c + ((x > 30000 ? big : m) >> 1); /* wraps */
  }
}
static void unsigned_bytes(uint8_t *d, const uint16_t *s, int n) {
  for (int i = 0; i < n; i++) {
    int v = s[i];
    d[i] = (uint8_t)((v >> 8) ^ (v & 255) ^ (v > 40000) ^ ((v < 32768) << 1) ^ ((v | 3) == 65535));
  }
}
/* Invariants of narrow types: splatted per 16-bit lane in i16x8 shape. */
static void narrow_invariants(uint8_t *d, const uint8_t *a, int n, uint8_t k, int16_t m) {
  for (int i = 0; i < n; i++) d[i] = (uint8_t)(a[i] + k - (m >> 4));
}
/* Not vectorised (a reduction), must stay right. */
static uint32_t reduce(const uint8_t *a, int n) {
  uint32_t s = 0;
  for (int i = 0; i < n; i++) s += a[i];
  return s;
}

int main(void) {
  for (int n = 0; n <= 67; n++) {
    for (int off = 0; off < 3; off++) {
      fill((uint32_t)(n * 7 + off));
      gray_planes(u8o + off, u8a, u8b + off, u8c + 2 * off, n);
      mix_bytes(u8o, N);
      threshold(u8o + 1, u8a + off, n, 100 + off);
      mix_bytes(u8o, N);
      avg3(u8o + off, u8a, n);
      mix_bytes(u8o, N);
      blur_row(u8o + off, u8a, u8b + off, u8c, n);
      mix_bytes(u8o, N);
      sobel_row(u8o, u8a + off, u8b, u8c + off, n);
      mix_bytes(u8o, N);
      signed_div(i32o + off, s16a, n);
      mix_bytes(i32o, sizeof i32o);
      inplace_s8(s8a + off, n);
      mix_bytes(s8a, N);
      int_ops(i32o, i32a + off, n, off * 1000 - 1);
      mix_bytes(i32o, sizeof i32o);
      uint_ops(u32o + off, u32a, n);
      mix_bytes(u32o, sizeof u32o);
      to_short(s16o + off, u16a, s8a, n);
      mix_bytes(s16o, sizeof s16o);
      widen(i32o, u8a + off, s16a, n);
      mix_bytes(i32o, sizeof i32o);
      reassign(u8o, u8a, u8b + off, n);
      mix_bytes(u8o, N);
      short_lanes((int8_t *)u8o + off, s8a, u8c, n);
      mix_bytes(u8o, N);
      short_lanes(s8a + 1, s8a, u8b, n); /* overlapping: scalar */
      mix_bytes(s8a, N);
      unsigned_lanes(s16o + off, u8a, u8b + off, n);
      mix_bytes(s16o, sizeof s16o);
      unsigned_bytes(u8o + off, u16a, n);
      mix_bytes(u8o, N);
      narrow_invariants(u8o + off, u8a, n, (uint8_t)(n * 5 + off), (int16_t)(off * 97 - 150));
      mix_bytes(u8o, N);
      hash ^= reduce(u8a + off, n);
      /* Overlapping and identical pointers: the overlap check must choose the scalar loop. */
      avg3(u8a + 1, u8a, n); /* writes ahead of its reads: a running average */
      mix_bytes(u8a, N);
      avg3(u8a, u8a + off, n); /* reads ahead of its writes (identical when off = 0) */
      mix_bytes(u8a, N);
      gray_planes(u8b + off, u8b, u8b + 1, u8c, n);
      mix_bytes(u8b, N);
      inplace_s8((int8_t *)u8c + off, n);
      threshold(u8c, u8c, n, 50); /* same pointer twice: in place through two names */
      mix_bytes(u8c, N);
      int_ops(i32a + 2, i32a, n, 5);
      mix_bytes(i32a, sizeof i32a);
      to_short((int16_t *)u16a + off, u16a, (int8_t *)u16a, n);
      mix_bytes(u16a, sizeof u16a);
    }
    if (n % 8 == 7) printf("n=%d hash=%08x\n", n, hash);
  }
  printf("final %08x\n", hash);
  return 0;
}
