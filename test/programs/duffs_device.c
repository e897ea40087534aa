#include <stdio.h>

static void duff_copy(char *to, const char *from, int count) {
  int n = (count + 7) / 8;
  if (count <= 0) return;
  switch (count % 8) {
  case 0: do { *to++ = *from++;
  case 7:      *to++ = *from++;
  case 6:      *to++ = *from++;
  case 5:      *to++ = *from++;
  case 4:      *to++ = *from++;
  case 3:      *to++ = *from++;
  case 2:      *to++ = *from++;
  case 1:      *to++ = *from++;
          } while (--n > 0);
  }
}

int main(void) {
  char src[64], dst[64];
  for (int i = 0; i < 64; i++) src[i] = (char)('a' + i % 26);
  for (int count = 0; count <= 20; count++) {
    for (int i = 0; i < 64; i++) dst[i] = '.';
    duff_copy(dst, src, count);
    dst[24] = 0;
    printf("%2d %s\n", count, dst);
  }
  return 0;
}
