#include <stdio.h>

/* decode UTF-8 into code points, rejecting malformed sequences */
static int decode(const unsigned char *s, unsigned *cp) {
  unsigned c = s[0];
  if (c < 0x80) { *cp = c; return 1; }
  int n;
  unsigned min;
  if ((c & 0xe0) == 0xc0) { n = 2; c &= 0x1f; min = 0x80; }
  else if ((c & 0xf0) == 0xe0) { n = 3; c &= 0x0f; min = 0x800; }
  else if ((c & 0xf8) == 0xf0) { n = 4; c &= 0x07; min = 0x10000; }
  else return -1;
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xc0) != 0x80) return -1;
    c = c << 6 | (s[i] & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return -1;
  *cp = c;
  return n;
}

static int encode(unsigned cp, char *out) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) { out[0] = (char)(0xc0 | cp >> 6); out[1] = (char)(0x80 | (cp & 0x3f)); return 2; }
  if (cp < 0x10000) {
    out[0] = (char)(0xe0 | cp >> 12); out[1] = (char)(0x80 | (cp >> 6 & 0x3f)); out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | cp >> 18); out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
  out[2] = (char)(0x80 | (cp >> 6 & 0x3f)); out[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

int main(void) {
  const char *s = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80 \xc0\xaf \xed\xa0\x80 \xff!";
  const unsigned char *p = (const unsigned char *)s;
  int count = 0, bad = 0;
  unsigned sum = 0;
  while (*p) {
    unsigned cp;
    int n = decode(p, &cp);
    if (n < 0) { printf("bad byte %02x\n", *p); bad++; p++; continue; }
    printf("U+%04X (%d bytes)\n", cp, n);
    sum += cp;
    count++;
    p += n;
  }
  printf("count=%d bad=%d sum=%u\n", count, bad, sum);
  unsigned cps[] = {0x41, 0xe9, 0x20ac, 0x1f600, 0x10ffff};
  for (int i = 0; i < 5; i++) {
    char buf[4];
    int n = encode(cps[i], buf);
    printf("%X ->", cps[i]);
    for (int k = 0; k < n; k++) printf(" %02x", (unsigned char)buf[k]);
    printf("\n");
  }
  return count;
}
