#include <stdio.h>

static unsigned popcount(unsigned x) {
  unsigned c = 0;
  while (x) { x &= x - 1; c++; }
  return c;
}

static unsigned reverse_bits(unsigned x) {
  unsigned r = 0;
  for (int i = 0; i < 32; i++) { r = (r << 1) | (x & 1); x >>= 1; }
  return r;
}

static int clz(unsigned x) {
  if (x == 0) return 32;
  int n = 0;
  while (!(x & 0x80000000u)) { n++; x <<= 1; }
  return n;
}

int main(void) {
  unsigned a = 0xf0f0a5a5u, b = 0x0ff05a5au;
  printf("a&b=%08x a|b=%08x a^b=%08x ~a=%08x\n", a & b, a | b, a ^ b, ~a);
  int s = -12345;
  printf("s&0xff=%d s|1=%d s^-1=%d ~s=%d\n", s & 0xff, s | 1, s ^ -1, ~s);
  unsigned vals[] = {0, 1, 0x80000000u, 0xffffffffu, 0x12345678u, 0x00f000f0u};
  unsigned total = 0;
  for (int i = 0; i < 6; i++) {
    unsigned v = vals[i];
    printf("v=%08x pop=%u rev=%08x clz=%d lowbit=%08x\n", v, popcount(v), reverse_bits(v), clz(v),
           v & (0u - v));
    total += popcount(v) + (unsigned)clz(v);
  }
  /* is power of two */
  for (unsigned x = 1; x < 70; x += 7) printf("%u:%d ", x, x && !(x & (x - 1)));
  printf("\n");
  /* swap with xor */
  int p = 17, q = 42;
  p ^= q; q ^= p; p ^= q;
  printf("p=%d q=%d\n", p, q);
  /* masks */
  unsigned flags = 0;
  flags |= 1u << 3;
  flags |= 1u << 7;
  flags &= ~(1u << 3);
  flags ^= 0xffu;
  printf("flags=%02x\n", flags);
  /* bitwise on 64-bit */
  unsigned long long m = 0xaaaaaaaa55555555ULL;
  printf("m&~m=%llx m|~m=%llx\n", m & ~m, m | ~m);
  printf("total=%u\n", total);
  return (int)total;
}
