#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *buf; size_t len, cap; } SB;

static void sb_reserve(SB *sb, size_t extra) {
  if (sb->len + extra + 1 <= sb->cap) return;
  size_t nc = sb->cap ? sb->cap : 16;
  while (nc < sb->len + extra + 1) nc *= 2;
  sb->buf = realloc(sb->buf, nc);
  sb->cap = nc;
}

static void sb_puts(SB *sb, const char *s) {
  size_t n = strlen(s);
  sb_reserve(sb, n);
  memcpy(sb->buf + sb->len, s, n + 1);
  sb->len += n;
}

static void sb_putc(SB *sb, char c) {
  sb_reserve(sb, 1);
  sb->buf[sb->len++] = c;
  sb->buf[sb->len] = 0;
}

static void sb_int(SB *sb, long long v, int base) {
  char tmp[72];
  int n = 0;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do { tmp[n++] = "0123456789abcdef"[u % base]; u /= base; } while (u);
  if (v < 0) tmp[n++] = '-';
  while (n) sb_putc(sb, tmp[--n]);
}

int main(void) {
  SB sb = {0, 0, 0};
  sb_puts(&sb, "[");
  for (int i = 0; i < 40; i++) {
    if (i) sb_puts(&sb, ", ");
    sb_int(&sb, (long long)(i - 20) * 123456789, i % 3 == 0 ? 16 : 10);
  }
  sb_puts(&sb, "]");
  printf("%s\nlen=%u cap=%u\n", sb.buf, (unsigned)sb.len, (unsigned)sb.cap);
  sb.len = 0;
  sb_int(&sb, -9223372036854775807LL - 1, 10);
  printf("%s\n", sb.buf);
  sb.len = 0;
  sb_int(&sb, 255, 2);
  printf("%s\n", sb.buf);
  size_t l = sb.len;
  free(sb.buf);
  return (int)l;
}
