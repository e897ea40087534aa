/* wasm SIMD intrinsics (kplug) against the scalar loop (gcc): grayscale with a 16-pixel SIMD
 * body and a scalar tail, on widths around the vector size (0, 1, 15, 16, 17, odd, 2 vectors). */
#include <stdint.h>
#include <stdio.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

static uint8_t luma(uint32_t r, uint32_t g, uint32_t b) {
  return (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8);
}

static void gray_row(const uint8_t *p, uint8_t *q, int width) {
  const uint8_t *end = p + 3 * width;
#ifdef __wasm_simd128__
  const v128_t kr = wasm_u8x16_const_splat(77), kg = wasm_u8x16_const_splat(150);
  const v128_t kb = wasm_u8x16_const_splat(29), half = wasm_u16x8_const_splat(128);
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
  while (p < end) {
    *q++ = luma(p[0], p[1], p[2]);
    p += 3;
  }
}

static uint8_t src[3 * 67 + 16];
static uint8_t dst[67 + 16];

int main(void) {
  static const int widths[] = {0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 49, 67};
  uint32_t s = 7;
  for (int i = 0; i < (int)sizeof src; i++) {
    s = s * 1664525u + 1013904223u;
    src[i] = (uint8_t)(s >> 24);
  }
  for (int k = 0; k < (int)(sizeof widths / sizeof widths[0]); k++) {
    int w = widths[k];
    for (int i = 0; i < (int)sizeof dst; i++) dst[i] = 0xEE;
    gray_row(src + k, dst, w);
    uint32_t h = 0;
    for (int i = 0; i < (int)sizeof dst; i++) h = h * 31u + dst[i];
    printf("width %d: %08x first %d last %d\n", w, h, dst[0], w ? dst[w - 1] : -1);
  }
  return 0;
}
