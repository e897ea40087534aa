// printf %ls %lc %S %C with wchar_t of 4 bytes: widths, precision, NULL, a NUL wide char, and the "C"
// locale's EILSEQ failure for a non-ASCII wide character (printf, snprintf: -1, output so far kept).
#include <stdio.h>
#include <wchar.h>
#include <errno.h>
#include <string.h>
int main(void) {
  char buf[64];
  int r;
  r = printf("[%ls|%5ls|%-5ls|%.2ls|%lc|%5lc|%-3lc|%S|%C]\n", L"abc", L"xy", L"xy", L"hello", L'Q', L'r', L's', L"SS", L'C');
  printf("r=%d\n", r);
  errno = 0; memset(buf, 'Z', sizeof buf); buf[63] = 0;
  r = snprintf(buf, sizeof buf, "ab%lscd", L"h\u00e9llo");
  printf("r=%d errno=%d buf=%.10s\n", r, errno, buf);
  errno = 0;
  r = printf("x%lcy\n", (wint_t)0xe9);
  printf("\nr=%d errno=%d\n", r, errno);
  errno = 0;
  r = printf("p%.1lsq\n", L"a\u00e9");
  printf("r=%d errno=%d\n", r, errno);
  r = printf("n%lcm\n", (wint_t)0);
  printf("r=%d\n", r);
  r = printf("%ls\n", (wchar_t *)0);
  printf("r=%d\n", r);
  r = printf("%.3ls|\n", (wchar_t *)0);
  printf("r=%d\n", r);
  r = printf("%lc%lc|\n", (wint_t)0x7f, (wint_t)0x80);
  printf("\nr=%d errno=%d\n", r, errno);
  return 0;
}
