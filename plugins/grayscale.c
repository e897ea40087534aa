/*
 * grayscale.c - the paper's image plugin: packed 24-bit RGB to 8-bit gray.
 *
 * Luma follows ITU-R BT.601 with 8-bit fixed-point weights: 0.299, 0.587 and 0.114 times 256
 * are 77, 150 and 29. They sum to 256, so white stays 255 and rounding never overflows a byte.
 * Integer only: a plugin has no business needing the FPU for this.
 *
 * The same file is valid KP-C and valid C99 (gcc, tcc): the benchmarks compile it both ways.
 */
#include <stdint.h>

enum { GRAY_OK = 0, GRAY_EINVAL = -1 };

#define LUMA_R 77
#define LUMA_G 150
#define LUMA_B 29
#define MAX_WIDTH (0x7fffffff / 3)

/* One pixel. Small and static: the compiler is expected to inline it into the loop. */
static uint8_t luma(uint32_t r, uint32_t g, uint32_t b) {
  return (uint8_t)((LUMA_R * r + LUMA_G * g + LUMA_B * b + 128) >> 8);
}

/* Bytes the caller must provide at `dst` for a width x height image (0 if invalid). */
int grayscale_size(int width, int height) {
  if (width <= 0 || height <= 0 || width > 0x7fffffff / height) return 0;
  return width * height;
}

/*
 * src: height rows of `width` RGB triplets, rows `src_stride` bytes apart (>= 3 * width).
 * dst: height rows of `width` gray bytes, tightly packed.
 * Returns GRAY_OK, or GRAY_EINVAL for a bad geometry (nothing is written then).
 */
int grayscale(const uint8_t *src, uint8_t *dst, int width, int height, int src_stride) {
  if (!src || !dst) return GRAY_EINVAL;
  if (grayscale_size(width, height) == 0) return GRAY_EINVAL;
  if (width > MAX_WIDTH || src_stride < width * 3) return GRAY_EINVAL;

  for (int y = 0; y < height; y++) {
    const uint8_t *p = src + y * src_stride;
    const uint8_t *end = p + width * 3;
    uint8_t *q = dst + y * width;

    /* Four pixels per trip keeps the loop overhead (and fuel checks) off the critical path. */
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
  return GRAY_OK;
}
