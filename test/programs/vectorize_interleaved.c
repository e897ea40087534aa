/* Interleaved loads the vectoriser takes apart with shuffles (cc/vectorize-plan.ts): RGB,
 * RGBA and pair layouts read through pointers advancing 2, 3 or 4 elements per iteration
 * (`while (end - p >= 3)`, `p < end`, `*q++`, hand-unrolled bodies it re-rolls) or through an int
 * index (`s[3 * i + c]`), on every length 0..100 and unaligned starts, with overlapping
 * source and destination (the runtime check must choose the scalar loop). gcc is the oracle. */
#include <stdint.h>
#include <stdio.h>

#define N 1400

static uint8_t src[N], dst[N], buf[N];
static uint16_t wide[N], wout[N];
static int8_t sbytes[N];
static uint32_t hash = 2166136261u;

static void mix_bytes(const void *p, int n) {
  const uint8_t *b = (const uint8_t *)p;
  for (int i = 0; i < n; i++) hash = (hash ^ b[i]) * 16777619u;
}

static void fill(uint32_t seed) {
  uint32_t s = seed;
  for (int i = 0; i < N; i++) {
    s = s * 1664525u + 1013904223u;
    src[i] = (uint8_t)(s >> 24);
    buf[i] = (uint8_t)(s >> 16);
    sbytes[i] = (int8_t)(s >> 8);
    wide[i] = (uint16_t)(s >> 9);
    dst[i] = 0;
    wout[i] = 0;
  }
}

static uint8_t luma(uint32_t r, uint32_t g, uint32_t b) {
  return (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8);
}

/* plugins/grayscale.c's scalar row: four pixels per trip, then a remainder loop. */
static void gray_unrolled(const uint8_t *p, uint8_t *q, int width) {
  const uint8_t *end = p + width * 3;
  while (end - p >= 12) {
    q[0] = luma(p[0], p[1], p[2]);
    q[1] = luma(p[3], p[4], p[5]);
    q[2] = luma(p[6], p[7], p[8]);
    q[3] = luma(p[9], p[10], p[11]);
    p += 12;
    q += 4;
  }
  while (p < end) {
    *q++ = luma(p[0], p[1], p[2]);
    p += 3;
  }
}

/* One pixel per iteration, `p < end`, and a counter advanced alongside. */
static int gray_simple(const uint8_t *p, uint8_t *q, int width) {
  const uint8_t *end = p + width * 3;
  int k = 7;
  while (p < end) {
    q[0] = luma(p[0], p[1], p[2]);
    p += 3;
    q += 1;
    k += 5;
  }
  return k;
}

/* RGBA, alpha ignored (a group wider than the bytes read), as a for loop. */
static void gray_rgba(const uint8_t *p, uint8_t *q, int width) {
  const uint8_t *end = p + width * 4;
  for (; end - p >= 4; p += 4) {
    *q = (uint8_t)((p[0] + 2 * p[1] + p[2]) >> 2);
    q++;
  }
}

/* Pairs with an int index: the average and the signed difference of each pair. */
static void pairs(uint8_t *avg, int8_t *diff, const uint8_t *s, int n) {
  for (int i = 0; i < n; i++) {
    avg[i] = (uint8_t)((s[2 * i] + s[2 * i + 1] + 1) >> 1);
    diff[i] = (int8_t)(s[2 * i + 1] - s[2 * i]);
  }
}

/* Signed bytes, stride 3 through an index, an offset group start. */
static void chroma(int16_t *d, const int8_t *s, int n) {
  for (int i = 0; i < n; i++) d[i] = (int16_t)(s[3 * i + 3] * 5 - s[3 * i + 1] * 3 + s[3 * i + 2]);
}

/* 16-bit RGB, two pixels per trip with temporaries, the pixels' statements interleaved. */
static void gray16(const uint16_t *p, uint16_t *q, int width) {
  const uint16_t *end = p + width * 3;
  while (end - p >= 6) {
    uint32_t a = p[0] * 2u + p[1] * 5u + p[2];
    uint32_t b = p[3] * 2u + p[4] * 5u + p[5];
    q[0] = (uint16_t)(a >> 3);
    q[1] = (uint16_t)(b >> 3);
    p += 6;
    q += 2;
  }
  while (p < end) {
    q[0] = (uint16_t)((p[0] * 2u + p[1] * 5u + p[2]) >> 3);
    p += 3;
    q += 1;
  }
}

/* Unrolled by two, but the halves differ: not a re-roll, and too wide a group (scalar). */
static void uneven(const uint8_t *p, uint8_t *q, int width) {
  const uint8_t *end = p + width * 3;
  while (end - p >= 6) {
    q[0] = (uint8_t)(p[0] + p[1] + p[2]);
    q[1] = (uint8_t)(p[3] - p[4] + p[5]);
    p += 6;
    q += 2;
  }
}

/* Post-increments: two reads through s++ per output (a pair), the output through q[0]. */
static void post_pairs(uint8_t *q, const uint8_t *s, int n) {
  uint8_t *end = q + n;
  while (q < end) {
    int a = *s++;
    int b = *s++;
    q[0] = (uint8_t)(a * 3 - b);
    q += 1;
  }
}

/* Two stores through q++ per iteration: an interleaved store (scalar). */
static void post_twice(const uint8_t *p, uint8_t *q, int n) {
  const uint8_t *end = p + 2 * n;
  while (p < end) {
    *q++ = (uint8_t)(p[1] + 1);
    *q++ = p[0];
    p += 2;
  }
}

/* An inclusive bound; a distance counted in pixels, with a partial pixel at the end. */
static void inclusive(const uint8_t *p, uint8_t *q, int n) {
  if (n <= 0) return;
  const uint8_t *last = p + 2 * n - 2;
  while (p <= last) {
    q[0] = (uint8_t)(p[0] ^ (p[1] >> 1));
    p += 2;
    q++;
  }
}
static void thirds(const uint8_t *p, uint8_t *q, int n, int extra) {
  const uint8_t *end = p + 3 * n + extra; /* not a whole number of pixels */
  while ((end - p) / 3 > 0) {
    *q++ = (uint8_t)(p[2] - p[0]);
    p += 3;
  }
}

int main(void) {
  for (int n = 0; n <= 100; n++) {
    for (int off = 0; off < 4; off++) {
      fill((uint32_t)(n * 13 + off));
      gray_unrolled(src + off, dst + (off ^ 1), n);
      mix_bytes(dst, N);
      hash ^= (uint32_t)gray_simple(src + 1, dst + off, n);
      mix_bytes(dst, N);
      gray_rgba(src + off, dst + 3, n);
      mix_bytes(dst, N);
      pairs(dst + off, (int8_t *)buf + 2 * off, src, n);
      mix_bytes(dst, N);
      mix_bytes(buf, N);
      chroma((int16_t *)wout + off, sbytes + off, n);
      mix_bytes(wout, sizeof wout);
      gray16(wide + off, wout + 1, n);
      mix_bytes(wout, sizeof wout);
      uneven(src + 2 * off, dst, n);
      mix_bytes(dst, N);
      post_pairs(dst + off, src + 3, n);
      mix_bytes(dst, N);
      post_twice(src + off, dst + 1, n);
      mix_bytes(dst, N);
      inclusive(src + 1, dst + off, n);
      mix_bytes(dst, N);
      thirds(src + off, dst + 2, n, off % 3);
      mix_bytes(dst, N);
      thirds(buf + 1, buf + off, n, 2);
      mix_bytes(buf, N);
      /* Overlapping source and destination: in place (the output runs behind the input),
       * ahead of it, and partly over the pixels still to read. */
      gray_unrolled(buf, buf, n);
      mix_bytes(buf, N);
      gray_unrolled(buf + off, buf + off + n, n);
      mix_bytes(buf, N);
      gray_simple(buf + 3 * off, buf + 40 + off, n);
      mix_bytes(buf, N);
      pairs(buf + 5, (int8_t *)buf + 3 * n, buf, n);
      mix_bytes(buf, N);
      gray16(wide, wide + n + off, n);
      mix_bytes(wide, sizeof wide);
      post_pairs(buf + n - off, buf + n, n);
      mix_bytes(buf, N);
    }
    if (n % 10 == 9) printf("n=%d hash=%08x\n", n, hash);
  }
  /* A long row, as the benchmark runs. */
  fill(99);
  gray_unrolled(src, dst, 440);
  mix_bytes(dst, N);
  printf("final %08x\n", hash);
  return 0;
}
