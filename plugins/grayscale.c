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
#if defined(__wasm_simd128__) && !defined(KPLUG_NO_INTRINSICS)
#include <wasm_simd128.h>
#endif

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

#if defined(__wasm_simd128__) && !defined(KPLUG_NO_INTRINSICS)
    /* 16 pixels per trip with wasm SIMD: six shuffles split 48 bytes into R, G and B lanes,
     * u8 x u8 -> u16 multiplies (the sum stays below 65536), then >> 8 and narrow. */
    const v128_t kr = wasm_u8x16_const_splat(LUMA_R), kg = wasm_u8x16_const_splat(LUMA_G);
    const v128_t kb = wasm_u8x16_const_splat(LUMA_B), half = wasm_u16x8_const_splat(128);
    while (end - p >= 48) {
      v128_t a = wasm_v128_load(p), b = wasm_v128_load(p + 16), c = wasm_v128_load(p + 32);
      v128_t r = wasm_i8x16_shuffle(a, b, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
      v128_t g = wasm_i8x16_shuffle(a, b, 1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0);
      v128_t bl = wasm_i8x16_shuffle(a, b, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0);
      r = wasm_i8x16_shuffle(r, c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29);
      g = wasm_i8x16_shuffle(g, c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30);
      bl = wasm_i8x16_shuffle(bl, c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31);
      v128_t lo = wasm_i16x8_add(wasm_u16x8_extmul_low_u8x16(r, kr), wasm_u16x8_extmul_low_u8x16(g, kg));
      v128_t hi = wasm_i16x8_add(wasm_u16x8_extmul_high_u8x16(r, kr), wasm_u16x8_extmul_high_u8x16(g, kg));
      lo = wasm_i16x8_add(lo, wasm_i16x8_add(wasm_u16x8_extmul_low_u8x16(bl, kb), half));
      hi = wasm_i16x8_add(hi, wasm_i16x8_add(wasm_u16x8_extmul_high_u8x16(bl, kb), half));
      wasm_v128_store(q, wasm_u8x16_narrow_i16x8(wasm_u16x8_shr(lo, 8), wasm_u16x8_shr(hi, 8)));
      p += 48;
      q += 16;
    }
#endif
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
