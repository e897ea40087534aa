/* sobel: gradient magnitude (|gx| + |gy|, clamped) of a generated 512x512 image, n passes. */
#include <stdint.h>
#include <stdlib.h>
#if defined(__wasm_simd128__) && !defined(KPLUG_NO_INTRINSICS)
#include <wasm_simd128.h>

/* Gradient magnitude of 8 pixels from the 16-bit lanes of the neighbourhood. */
static v128_t sobel8(v128_t al, v128_t ax, v128_t ar, v128_t bl, v128_t br, v128_t cl, v128_t cx,
                     v128_t cr) {
  v128_t gx = wasm_i16x8_sub(wasm_i16x8_add(wasm_i16x8_add(ar, cr), wasm_i16x8_shl(br, 1)),
                             wasm_i16x8_add(wasm_i16x8_add(al, cl), wasm_i16x8_shl(bl, 1)));
  v128_t gy = wasm_i16x8_sub(wasm_i16x8_add(wasm_i16x8_add(cl, cr), wasm_i16x8_shl(cx, 1)),
                             wasm_i16x8_add(wasm_i16x8_add(al, ar), wasm_i16x8_shl(ax, 1)));
  return wasm_i16x8_add(wasm_i16x8_abs(gx), wasm_i16x8_abs(gy));
}
#endif

#define W 512
#define H 512

static uint8_t *src_img;
static uint8_t *edges;

int setup(int n) {
  (void)n;
  src_img = (uint8_t *)malloc(W * H);
  edges = (uint8_t *)malloc(W * H);
  if (!src_img || !edges) return 1;
  uint32_t s = 777u;
  for (int y = 0; y < H; y++) {
    for (int x = 0; x < W; x++) {
      s = s * 1103515245u + 12345u;
      /* Smooth shapes plus noise, so gradients take every magnitude. */
      int v = ((x * y) >> 7) + ((x ^ y) & 63) + (int)((s >> 27) & 15);
      src_img[y * W + x] = (uint8_t)v;
    }
  }
  return 0;
}

static int iabs(int v) { return v < 0 ? -v : v; }

static void sobel_pass(const uint8_t *in, uint8_t *out) {
  for (int y = 1; y < H - 1; y++) {
    const uint8_t *a = in + (y - 1) * W;
    const uint8_t *b = in + y * W;
    const uint8_t *c = in + (y + 1) * W;
    uint8_t *o = out + y * W;
    int x = 1;
#if defined(__wasm_simd128__) && !defined(KPLUG_NO_INTRINSICS)
    /* 16 pixels per trip in i16 lanes (|gx| + |gy| <= 2040); the unsigned saturating narrow is
     * the clamp to 255. gcc builds the scalar loop below. */
    for (; x + 16 <= W - 1; x += 16) {
      v128_t al = wasm_v128_load(a + x - 1), ax = wasm_v128_load(a + x), ar = wasm_v128_load(a + x + 1);
      v128_t bl = wasm_v128_load(b + x - 1), br = wasm_v128_load(b + x + 1);
      v128_t cl = wasm_v128_load(c + x - 1), cx = wasm_v128_load(c + x), cr = wasm_v128_load(c + x + 1);
      v128_t lo = sobel8(wasm_u16x8_extend_low_u8x16(al), wasm_u16x8_extend_low_u8x16(ax),
                         wasm_u16x8_extend_low_u8x16(ar), wasm_u16x8_extend_low_u8x16(bl),
                         wasm_u16x8_extend_low_u8x16(br), wasm_u16x8_extend_low_u8x16(cl),
                         wasm_u16x8_extend_low_u8x16(cx), wasm_u16x8_extend_low_u8x16(cr));
      v128_t hi = sobel8(wasm_u16x8_extend_high_u8x16(al), wasm_u16x8_extend_high_u8x16(ax),
                         wasm_u16x8_extend_high_u8x16(ar), wasm_u16x8_extend_high_u8x16(bl),
                         wasm_u16x8_extend_high_u8x16(br), wasm_u16x8_extend_high_u8x16(cl),
                         wasm_u16x8_extend_high_u8x16(cx), wasm_u16x8_extend_high_u8x16(cr));
      wasm_v128_store(o + x, wasm_u8x16_narrow_i16x8(lo, hi));
    }
#endif
    for (; x < W - 1; x++) {
      int gx = (a[x + 1] + 2 * b[x + 1] + c[x + 1]) - (a[x - 1] + 2 * b[x - 1] + c[x - 1]);
      int gy = (c[x - 1] + 2 * c[x] + c[x + 1]) - (a[x - 1] + 2 * a[x] + a[x + 1]);
      int m = iabs(gx) + iabs(gy);
      o[x] = (uint8_t)(m > 255 ? 255 : m);
    }
  }
}

uint32_t run(int n) {
  uint32_t h = 0;
  for (int i = 0; i < n; i++) {
    sobel_pass(src_img, edges);
    for (int y = 1; y < H - 1; y++) {
      for (int x = 1; x < W - 1; x++) h = h * 31u + edges[y * W + x];
    }
  }
  return h;
}
