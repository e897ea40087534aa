#include <stdio.h>
#include <string.h>
#include <stdint.h>

static uint32_t table[256];

static void init_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
}

static uint32_t crc32(const void *data, size_t n) {
  const unsigned char *p = data;
  uint32_t c = 0xffffffffu;
  while (n--) c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static uint32_t crc32_bitwise(const unsigned char *p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

int main(void) {
  init_table();
  const char *tests[] = {"", "a", "abc", "123456789", "The quick brown fox jumps over the lazy dog"};
  for (int i = 0; i < 5; i++)
    printf("crc32(\"%s\")=%08x\n", tests[i], crc32(tests[i], strlen(tests[i])));
  static unsigned char big[100000];
  for (int i = 0; i < 100000; i++) big[i] = (unsigned char)(i * 31 + (i >> 8));
  uint32_t a = crc32(big, sizeof big), b = crc32_bitwise(big, sizeof big);
  printf("big=%08x bitwise=%08x match=%d\n", a, b, a == b);
  return (int)(a & 0x7f);
}
