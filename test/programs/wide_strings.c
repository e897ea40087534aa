#include <stdio.h>
#include <stddef.h>
#include <wchar.h>

static const wchar_t greeting[] = L"h\u00e9llo \U0001F600!";
wchar_t buf[16] = L"abc";
int main(void) {
  const wchar_t *w = L"wide" L" and" " narrow";
  printf("%zu %zu %zu\n", sizeof(L"ab"), sizeof(greeting), wcslen(w));
  for (size_t i = 0; i < wcslen(greeting); i++) printf("%x ", (unsigned)greeting[i]);
  printf("\n");
  const unsigned short *u = u"x\U0001F600y";
  printf("%zu: %x %x %x %x\n", sizeof(u"x\U0001F600y"), u[0], u[1], u[2], u[3]);
  const unsigned int *U = U"\U0010FFFFz";
  printf("%x %x %zu\n", U[0], U[1], sizeof(U"ab"));
  wchar_t copy[32];
  wcscpy(copy, w);
  printf("%d %d %d\n", wcscmp(copy, w), wcscmp(L"abc", L"abd"), wcscmp(L"b", L"a"));
  printf("%d\n", (int)(wcschr(w, L'a') - w));
  wchar_t esc[] = L"\x12345\777\xffffffff";
  printf("%x %x %x %zu\n", (unsigned)esc[0], (unsigned)esc[1], (unsigned)esc[2], sizeof esc);
  printf("%d %d\n", buf[2], buf[3]);
  wchar_t c = L'\u20ac';
  printf("%x %d\n", c, WCHAR_MAX);
  wchar_t neg[] = L"\xffffffff";
  printf("%d\n", neg[0]);
  return (int)wcslen(buf);
}
