#include <stdio.h>
#include <string.h>

/* a toy LZ77: tokens are (offset, length, next byte) with a 255-byte window */
typedef struct { unsigned char off, len, next; } Tok;

static int compress(const unsigned char *in, int n, Tok *out) {
  int t = 0, i = 0;
  while (i < n) {
    int best_len = 0, best_off = 0;
    int start = i > 255 ? i - 255 : 0;
    for (int j = start; j < i; j++) {
      int l = 0;
      while (l < 255 && i + l < n - 1 && in[j + l] == in[i + l]) l++;
      if (l > best_len) { best_len = l; best_off = i - j; }
    }
    out[t].off = (unsigned char)best_off;
    out[t].len = (unsigned char)best_len;
    out[t].next = in[i + best_len];
    t++;
    i += best_len + 1;
  }
  return t;
}

static int decompress(const Tok *toks, int nt, unsigned char *out) {
  int o = 0;
  for (int k = 0; k < nt; k++) {
    for (int l = 0; l < toks[k].len; l++, o++) out[o] = out[o - toks[k].off];
    out[o++] = toks[k].next;
  }
  return o;
}

int main(void) {
  static unsigned char text[3000], back[3000];
  static Tok toks[3000];
  const char *phrases[] = {"the plugin ", "kernel ", "runs ", "fast ", "and safe ", "in wasm "};
  int n = 0;
  unsigned s = 5;
  while (n < 2900) {
    s = s * 1103515245u + 12345u;
    const char *p = phrases[(s >> 16) % 6];
    int l = (int)strlen(p);
    memcpy(text + n, p, l);
    n += l;
  }
  int nt = compress(text, n, toks);
  int m = decompress(toks, nt, back);
  printf("input=%d tokens=%d bytes=%d ratio=%.3f roundtrip=%d\n", n, nt, nt * 3, (double)(nt * 3) / n,
         m == n && memcmp(text, back, n) == 0);
  for (int k = 0; k < 6; k++) printf("(%d,%d,'%c') ", toks[k].off, toks[k].len, toks[k].next);
  printf("\n");
  return nt & 0xff;
}
