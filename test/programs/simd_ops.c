/* wasm SIMD intrinsics (kplug) against scalar lane loops (gcc): each operation is applied to
 * the same inputs and every result lane printed. */
#include <stdint.h>
#include <stdio.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

static uint8_t A[16], B[16], R[16];

static void show(const char *name) {
  printf("%-10s", name);
  for (int i = 0; i < 16; i++) printf(" %02x", R[i]);
  printf("\n");
}

static int16_t h16(const uint8_t *v, int i) { return (int16_t)(v[2 * i] | v[2 * i + 1] << 8); }
static void set16(int i, int x) {
  R[2 * i] = (uint8_t)x;
  R[2 * i + 1] = (uint8_t)(x >> 8);
}
static int32_t w32(const uint8_t *v, int i) {
  return (int32_t)((uint32_t)v[4 * i] | (uint32_t)v[4 * i + 1] << 8 | (uint32_t)v[4 * i + 2] << 16 |
                   (uint32_t)v[4 * i + 3] << 24);
}
static void set32(int i, uint32_t x) {
  for (int k = 0; k < 4; k++) R[4 * i + k] = (uint8_t)(x >> (8 * k));
}
static int sat_u8(int x) { return x < 0 ? 0 : x > 255 ? 255 : x; }
static int sat_i8(int x) { return x < -128 ? -128 : x > 127 ? 127 : x; }

int main(void) {
  uint32_t s = 11;
  for (int i = 0; i < 16; i++) {
    s = s * 1664525u + 1013904223u;
    A[i] = (uint8_t)(s >> 24);
    s = s * 1664525u + 1013904223u;
    B[i] = (uint8_t)(s >> 24);
  }
  A[3] = 0x80;
  B[3] = 0x7f;
#ifdef __wasm_simd128__
  v128_t a = wasm_v128_load(A), b = wasm_v128_load(B);
#define OUT(name, expr) (wasm_v128_store(R, (expr)), show(name))
  OUT("i8add", wasm_i8x16_add(a, b));
  OUT("i8sub", wasm_i8x16_sub(a, b));
  OUT("u8addsat", wasm_u8x16_add_sat(a, b));
  OUT("i8subsat", wasm_i8x16_sub_sat(a, b));
  OUT("u8min", wasm_u8x16_min(a, b));
  OUT("i8max", wasm_i8x16_max(a, b));
  OUT("u8avgr", wasm_u8x16_avgr(a, b));
  OUT("i8abs", wasm_i8x16_abs(a));
  OUT("i8gt", wasm_i8x16_gt(a, b));
  OUT("u8lt", wasm_u8x16_lt(a, b));
  OUT("bitsel", wasm_v128_bitselect(a, b, wasm_u8x16_lt(a, b)));
  OUT("andnot", wasm_v128_andnot(a, b));
  OUT("i16mul", wasm_i16x8_mul(a, b));
  OUT("i16shr", wasm_i16x8_shr(a, 3));
  OUT("u16shr", wasm_u16x8_shr(a, 3));
  OUT("i16shl", wasm_i16x8_shl(a, 5));
  OUT("i32add", wasm_i32x4_add(a, b));
  OUT("i32mul", wasm_i32x4_mul(a, b));
  OUT("u8narrow", wasm_u8x16_narrow_i16x8(a, b));
  OUT("i8narrow", wasm_i8x16_narrow_i16x8(a, b));
  OUT("u16extlo", wasm_u16x8_extend_low_u8x16(a));
  OUT("i16exthi", wasm_i16x8_extend_high_i8x16(a));
  OUT("u16xmul", wasm_u16x8_extmul_high_u8x16(a, b));
  OUT("shuffle", wasm_i8x16_shuffle(a, b, 0, 17, 2, 19, 4, 21, 6, 23, 31, 30, 29, 28, 3, 2, 1, 0));
  OUT("i32shuf", wasm_i32x4_shuffle(a, b, 3, 4, 1, 6));
  OUT("make", wasm_i32x4_make(w32(A, 0), 7, -1, (int32_t)s));
  OUT("i16const", wasm_i16x8_const(1, -2, 3, -4, 5, -6, 7, -8));
  OUT("replace", wasm_i16x8_replace_lane(a, 5, 0x1234));
  OUT("splat", wasm_u8x16_splat(A[5]));
  printf("extract %d %d %d %d\n", wasm_i8x16_extract_lane(a, 3), wasm_u8x16_extract_lane(a, 3),
         wasm_i16x8_extract_lane(b, 7), wasm_i32x4_extract_lane(a, 2));
  printf("bitmask %u %u any %d all %d\n", wasm_i8x16_bitmask(a), wasm_i32x4_bitmask(b),
         wasm_v128_any_true(wasm_i8x16_eq(a, b)), wasm_i8x16_all_true(a));
  v128_t f = wasm_f32x4_convert_i32x4(wasm_i32x4_shr(a, 8));
  f = wasm_f32x4_mul(wasm_f32x4_add(f, wasm_f32x4_splat(0.5f)), wasm_f32x4_const(1, 2, 3, 4));
  OUT("f32", wasm_i32x4_trunc_sat_f32x4(f));
#else
  int i;
  for (i = 0; i < 16; i++) R[i] = (uint8_t)(A[i] + B[i]);
  show("i8add");
  for (i = 0; i < 16; i++) R[i] = (uint8_t)(A[i] - B[i]);
  show("i8sub");
  for (i = 0; i < 16; i++) R[i] = (uint8_t)sat_u8(A[i] + B[i]);
  show("u8addsat");
  for (i = 0; i < 16; i++) R[i] = (uint8_t)sat_i8((int8_t)A[i] - (int8_t)B[i]);
  show("i8subsat");
  for (i = 0; i < 16; i++) R[i] = A[i] < B[i] ? A[i] : B[i];
  show("u8min");
  for (i = 0; i < 16; i++) R[i] = (int8_t)A[i] > (int8_t)B[i] ? A[i] : B[i];
  show("i8max");
  for (i = 0; i < 16; i++) R[i] = (uint8_t)((A[i] + B[i] + 1) >> 1);
  show("u8avgr");
  for (i = 0; i < 16; i++) R[i] = (uint8_t)((int8_t)A[i] < 0 ? -(int8_t)A[i] : A[i]);
  show("i8abs");
  for (i = 0; i < 16; i++) R[i] = (int8_t)A[i] > (int8_t)B[i] ? 0xff : 0;
  show("i8gt");
  for (i = 0; i < 16; i++) R[i] = A[i] < B[i] ? 0xff : 0;
  show("u8lt");
  for (i = 0; i < 16; i++) R[i] = A[i] < B[i] ? A[i] : B[i];
  show("bitsel");
  for (i = 0; i < 16; i++) R[i] = A[i] & ~B[i];
  show("andnot");
  for (i = 0; i < 8; i++) set16(i, h16(A, i) * h16(B, i));
  show("i16mul");
  for (i = 0; i < 8; i++) set16(i, h16(A, i) >> 3);
  show("i16shr");
  for (i = 0; i < 8; i++) set16(i, (uint16_t)h16(A, i) >> 3);
  show("u16shr");
  for (i = 0; i < 8; i++) set16(i, h16(A, i) << 5);
  show("i16shl");
  for (i = 0; i < 4; i++) set32(i, (uint32_t)w32(A, i) + (uint32_t)w32(B, i));
  show("i32add");
  for (i = 0; i < 4; i++) set32(i, (uint32_t)w32(A, i) * (uint32_t)w32(B, i));
  show("i32mul");
  for (i = 0; i < 8; i++) R[i] = (uint8_t)(h16(A, i) < 0 ? 0 : h16(A, i) > 255 ? 255 : h16(A, i));
  for (i = 0; i < 8; i++) R[8 + i] = (uint8_t)(h16(B, i) < 0 ? 0 : h16(B, i) > 255 ? 255 : h16(B, i));
  show("u8narrow");
  for (i = 0; i < 8; i++) R[i] = (uint8_t)sat_i8(h16(A, i));
  for (i = 0; i < 8; i++) R[8 + i] = (uint8_t)sat_i8(h16(B, i));
  show("i8narrow");
  {
    uint8_t t[16];
    for (i = 0; i < 8; i++) {
      t[2 * i] = A[i];
      t[2 * i + 1] = 0;
    }
    for (i = 0; i < 16; i++) R[i] = t[i];
    show("u16extlo");
    for (i = 0; i < 8; i++) set16(i, (int8_t)A[8 + i]);
    show("i16exthi");
    for (i = 0; i < 8; i++) set16(i, A[8 + i] * B[8 + i]);
    show("u16xmul");
  }
  {
    static const int idx[16] = {0, 17, 2, 19, 4, 21, 6, 23, 31, 30, 29, 28, 3, 2, 1, 0};
    for (i = 0; i < 16; i++) R[i] = idx[i] < 16 ? A[idx[i]] : B[idx[i] - 16];
    show("shuffle");
    static const int w[4] = {3, 4, 1, 6};
    for (i = 0; i < 4; i++) set32(i, (uint32_t)w32(w[i] < 4 ? A : B, w[i] % 4));
    show("i32shuf");
  }
  set32(0, (uint32_t)w32(A, 0));
  set32(1, 7);
  set32(2, 0xffffffffu);
  set32(3, s);
  show("make");
  for (i = 0; i < 8; i++) set16(i, (i & 1 ? -1 : 1) * (i + 1));
  show("i16const");
  for (i = 0; i < 16; i++) R[i] = A[i];
  set16(5, 0x1234);
  show("replace");
  for (i = 0; i < 16; i++) R[i] = A[5];
  show("splat");
  printf("extract %d %d %d %d\n", (int8_t)A[3], A[3], h16(B, 7), w32(A, 2));
  {
    unsigned m8 = 0, m32 = 0;
    int any = 0, all = 1;
    for (i = 0; i < 16; i++) {
      m8 |= (unsigned)(A[i] >> 7) << i;
      any |= A[i] == B[i];
      all &= A[i] != 0;
    }
    for (i = 0; i < 4; i++) m32 |= (unsigned)((uint32_t)w32(B, i) >> 31) << i;
    printf("bitmask %u %u any %d all %d\n", m8, m32, any, all);
  }
  for (i = 0; i < 4; i++) {
    float f = ((float)(w32(A, i) >> 8) + 0.5f) * (float)(i + 1);
    set32(i, (uint32_t)(int32_t)f);
  }
  show("f32");
#endif
  return 0;
}
