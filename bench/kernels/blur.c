/* blur: 3x3 box blur of a generated 512x512 gray image, n passes ping-ponging two buffers. */
#include <stdint.h>
#include <stdlib.h>
#if defined(__wasm_simd128__) && !defined(KPLUG_NO_INTRINSICS)
#include <wasm_simd128.h>
#endif

#define W 512
#define H 512

static uint8_t *img_a;
static uint8_t *img_b;

int setup(int n) {
  (void)n;
  img_a = (uint8_t *)malloc(W * H);
  img_b = (uint8_t *)malloc(W * H);
  if (!img_a || !img_b) return 1;
  return 0;
}

static void generate(uint8_t *img) {
  uint32_t s = 12345u;
  for (int i = 0; i < W * H; i++) {
    s = s * 1664525u + 1013904223u;
    img[i] = (uint8_t)((s >> 24) ^ (i & 0xff));
  }
}

static void blur_pass(const uint8_t *src, uint8_t *dst) {
  for (int x = 0; x < W; x++) {
    dst[x] = src[x];
    dst[(H - 1) * W + x] = src[(H - 1) * W + x];
  }
  for (int y = 1; y < H - 1; y++) {
    const uint8_t *up = src + (y - 1) * W;
    const uint8_t *mid = src + y * W;
    const uint8_t *down = src + (y + 1) * W;
    uint8_t *out = dst + y * W;
    out[0] = mid[0];
    out[W - 1] = mid[W - 1];
    int x = 1;
#if defined(__wasm_simd128__) && !defined(KPLUG_NO_INTRINSICS)
    /* 16 pixels per trip: 9 row sums in u16 lanes, then sum / 9 as (sum * 7282) >> 16 in u32
     * lanes (exact for sum <= 2295). gcc builds the scalar loop below. */
    const v128_t k9 = wasm_u16x8_const_splat(7282);
    for (; x + 16 <= W - 1; x += 16) {
      v128_t lo = wasm_i16x8_splat(0), hi = wasm_i16x8_splat(0);
      const uint8_t *rows[3] = {up, mid, down};
      for (int r = 0; r < 3; r++) {
        for (int d = -1; d <= 1; d++) {
          v128_t v = wasm_v128_load(rows[r] + x + d);
          lo = wasm_i16x8_add(lo, wasm_u16x8_extend_low_u8x16(v));
          hi = wasm_i16x8_add(hi, wasm_u16x8_extend_high_u8x16(v));
        }
      }
      v128_t q0 = wasm_u32x4_shr(wasm_u32x4_extmul_low_u16x8(lo, k9), 16);
      v128_t q1 = wasm_u32x4_shr(wasm_u32x4_extmul_high_u16x8(lo, k9), 16);
      v128_t q2 = wasm_u32x4_shr(wasm_u32x4_extmul_low_u16x8(hi, k9), 16);
      v128_t q3 = wasm_u32x4_shr(wasm_u32x4_extmul_high_u16x8(hi, k9), 16);
      v128_t n = wasm_u8x16_narrow_i16x8(wasm_u16x8_narrow_i32x4(q0, q1), wasm_u16x8_narrow_i32x4(q2, q3));
      wasm_v128_store(out + x, n);
    }
#endif
    for (; x < W - 1; x++) {
      uint32_t sum = (uint32_t)up[x - 1] + up[x] + up[x + 1] + mid[x - 1] + mid[x] + mid[x + 1] +
                     down[x - 1] + down[x] + down[x + 1];
      out[x] = (uint8_t)(sum / 9);
    }
  }
}

uint32_t run(int n) {
  generate(img_a);
  for (int i = 0; i < n; i++) {
    blur_pass(img_a, img_b);
    uint8_t *t = img_a;
    img_a = img_b;
    img_b = t;
  }
  uint32_t h = 2166136261u;
  for (int i = 0; i < W * H; i++) h = (h ^ img_a[i]) * 16777619u;
  return h;
}
