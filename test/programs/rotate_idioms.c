/* Rotation idioms (compiled to rotl) next to look-alikes that are not rotations. */
#include <stdint.h>
#include <stdio.h>

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define ROTL64(x, n) (((x) << (n)) ^ ((x) >> (64 - (n))))

static uint32_t w[8] = {0x01234567u, 0x89abcdefu, 0xdeadbeefu, 0x80000001u, 0, 1, 0xffffffffu, 42};
static int reads;

static uint32_t next(void) { reads++; return w[reads & 7]; }

int main(void) {
  uint32_t h = 0;
  uint64_t q = 0x0123456789abcdefull;
  for (int i = 0; i < 8; i++) {
    uint32_t x = w[i];
    h ^= ROTR(x, 7) ^ ROTR(w[i], 18) + ((w[i] << 13) + (w[i] >> 19));
    h += ROTR(w[(i + 3) & 7], 1) | ROTR(w[(i + 3) & 7], 31);
    /* Not rotations: signed right shift, shift counts not adding up, different operands. */
    int32_t sx = (int32_t)x;
    h ^= (uint32_t)((sx >> 5) | (sx << 27));
    h += (x >> 5) | (x << 26);
    h ^= (x >> 3) | (w[(i + 1) & 7] << 29);
    h += (x >> 8) + (x << 24) + (x << 24);
    q = ROTL64(q, 13) + (uint64_t)h;
    q ^= (q >> 40) | (q << 24);
    uint16_t s16 = (uint16_t)x;
    h += (uint32_t)((s16 >> 4) | (s16 << 12)); /* promoted to int: not a 16-bit rotation */
    unsigned char c = (unsigned char)i;
    h ^= (unsigned)((c << 3) | (c >> 5));
  }
  /* Side effects must run as written: next() is called twice. */
  uint32_t r = (next() >> 3) | (next() << 29);
  printf("%08x %016llx %08x %d\n", h, (unsigned long long)q, r, reads);
  return 0;
}
