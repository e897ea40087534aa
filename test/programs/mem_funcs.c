#include <stdio.h>
#include <string.h>

int main(void) {
  unsigned char a[16];
  for (int i = 0; i < 16; i++) a[i] = (unsigned char)i;
  memmove(a + 4, a, 8); /* overlapping forward */
  for (int i = 0; i < 16; i++) printf("%d ", a[i]);
  printf("\n");
  for (int i = 0; i < 16; i++) a[i] = (unsigned char)i;
  memmove(a, a + 5, 10); /* overlapping backward */
  for (int i = 0; i < 16; i++) printf("%d ", a[i]);
  printf("\n");
  int ints[8];
  memset(ints, 0, sizeof ints);
  memset(ints, 0xff, 2 * sizeof(int));
  printf("%d %d %d\n", ints[0], ints[1], ints[2]);
  memset(ints, 0x01, sizeof ints);
  printf("%08x\n", (unsigned)ints[7]);
  double src[4] = {1.5, 2.5, 3.5, 4.5}, dst[4];
  memcpy(dst, src, sizeof src);
  printf("%.1f %.1f\n", dst[0], dst[3]);
  printf("memcmp: %d %d %d\n", memcmp(src, dst, sizeof src) == 0, memcmp("abc", "abd", 3) < 0,
         memcmp("\xff", "\x01", 1) > 0);
  printf("memcmp 0 bytes=%d\n", memcmp("x", "y", 0));
  struct { int x; char c; } s1, s2;
  memset(&s1, 0, sizeof s1);
  memset(&s2, 0, sizeof s2);
  s1.x = s2.x = 7;
  s1.c = s2.c = 'q';
  printf("struct memcmp eq=%d\n", memcmp(&s1, &s2, sizeof s1) == 0);
  char buf[32] = "0123456789";
  memcpy(buf + 10, buf, 10);
  buf[20] = 0;
  printf("%s\n", buf);
  void *r = memset(buf, '-', 3);
  printf("%s ret ok=%d\n", buf, r == buf);
  unsigned sum = 0;
  for (int i = 0; i < 16; i++) sum += a[i];
  return (int)sum;
}
