#include <stdio.h>
#include <string.h>

/* PackBits-style RLE */
static int rle_encode(const unsigned char *in, int n, unsigned char *out) {
  int o = 0, i = 0;
  while (i < n) {
    int run = 1;
    while (i + run < n && run < 128 && in[i + run] == in[i]) run++;
    if (run >= 3) {
      out[o++] = (unsigned char)(257 - run);
      out[o++] = in[i];
      i += run;
    } else {
      int start = i, lit = 0;
      while (i < n && lit < 128) {
        if (i + 2 < n && in[i] == in[i + 1] && in[i] == in[i + 2]) break;
        i++;
        lit++;
      }
      out[o++] = (unsigned char)(lit - 1);
      memcpy(out + o, in + start, lit);
      o += lit;
    }
  }
  return o;
}

static int rle_decode(const unsigned char *in, int n, unsigned char *out) {
  int o = 0, i = 0;
  while (i < n) {
    int h = in[i++];
    if (h < 128) {
      memcpy(out + o, in + i, h + 1);
      o += h + 1;
      i += h + 1;
    } else {
      int run = 257 - h;
      memset(out + o, in[i++], run);
      o += run;
    }
  }
  return o;
}

int main(void) {
  static unsigned char data[4000], enc[8000], dec[4000];
  int n = 0;
  for (int i = 0; i < 50; i++) {
    int run = (i * 37) % 200;
    for (int k = 0; k < run && n < 4000; k++) data[n++] = (unsigned char)(i % 5 == 0 ? k : i);
  }
  int e = rle_encode(data, n, enc);
  int d = rle_decode(enc, e, dec);
  printf("raw=%d encoded=%d decoded=%d match=%d\n", n, e, d, d == n && memcmp(data, dec, n) == 0);
  const char *txt = "aaaaaaaaaabbbcdddddddddddddddddddddddeffffgh";
  e = rle_encode((const unsigned char *)txt, (int)strlen(txt), enc);
  printf("text encoded=%d:", e);
  for (int i = 0; i < e; i++) printf(" %02x", enc[i]);
  printf("\n");
  return e;
}
