/* Wide character constants: L'x' is a wchar_t (a signed 32-bit int on i386 Linux) holding the
   code point; u'x' is char16_t, U'x' char32_t. */
#include <stddef.h>
#include <stdio.h>

int main(void) {
  wchar_t w = L'A';
  wchar_t e = L'é';
  wchar_t euro = L'€';
  wchar_t hx = L'\xff';
  printf("%d %d %d %d %d\n", (int)sizeof(wchar_t), w, e, euro, hx);
  printf("%d %d %d\n", (int)sizeof(L'a'), (int)sizeof(u'a'), (int)sizeof(U'a'));
  printf("%d %u %d\n", u'€', U'😀', L'\n');
  wchar_t neg = -1;
  printf("%d\n", neg < 0);
  return L'\0';
}
