#include <stdio.h>
#include <string.h>

static const char ALPHA[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_encode(const unsigned char *in, int n, char *out) {
  int o = 0;
  for (int i = 0; i < n; i += 3) {
    unsigned v = (unsigned)in[i] << 16;
    if (i + 1 < n) v |= (unsigned)in[i + 1] << 8;
    if (i + 2 < n) v |= in[i + 2];
    out[o++] = ALPHA[v >> 18 & 63];
    out[o++] = ALPHA[v >> 12 & 63];
    out[o++] = i + 1 < n ? ALPHA[v >> 6 & 63] : '=';
    out[o++] = i + 2 < n ? ALPHA[v & 63] : '=';
  }
  out[o] = 0;
  return o;
}

static int val(char c) {
  const char *p = strchr(ALPHA, c);
  return c && p ? (int)(p - ALPHA) : -1;
}

static int b64_decode(const char *in, unsigned char *out) {
  int n = (int)strlen(in), o = 0;
  if (n % 4) return -1;
  for (int i = 0; i < n; i += 4) {
    int a = val(in[i]), b = val(in[i + 1]);
    int c = in[i + 2] == '=' ? 0 : val(in[i + 2]);
    int d = in[i + 3] == '=' ? 0 : val(in[i + 3]);
    if (a < 0 || b < 0 || c < 0 || d < 0) return -1;
    unsigned v = (unsigned)a << 18 | (unsigned)b << 12 | (unsigned)c << 6 | (unsigned)d;
    out[o++] = (unsigned char)(v >> 16);
    if (in[i + 2] != '=') out[o++] = (unsigned char)(v >> 8);
    if (in[i + 3] != '=') out[o++] = (unsigned char)v;
  }
  return o;
}

int main(void) {
  const char *tests[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar", "Kernel plugins: when a VM is too much"};
  char enc[128];
  unsigned char dec[128];
  int ok = 0;
  for (int i = 0; i < 8; i++) {
    int n = (int)strlen(tests[i]);
    b64_encode((const unsigned char *)tests[i], n, enc);
    int d = b64_decode(enc, dec);
    int match = d == n && memcmp(dec, tests[i], n) == 0;
    ok += match;
    printf("\"%s\" -> %s (%d)\n", tests[i], enc, match);
  }
  unsigned char bin[256];
  for (int i = 0; i < 256; i++) bin[i] = (unsigned char)(255 - i);
  static char big[400];
  int e = b64_encode(bin, 256, big);
  printf("binary len=%d head=%.16s tail=%s\n", e, big, big + e - 8);
  printf("bad decode=%d\n", b64_decode("ab$d", dec));
  return ok;
}
