// A narrow literal joined with a wide one is read as if it had the wide prefix, as gcc does:
// each octal or hex escape is its own code unit, other characters are decoded from UTF-8.
#include <stdio.h>
#include <wchar.h>

#define P(s)                                                \
  do {                                                      \
    for (unsigned i = 0; i < sizeof(s) / sizeof(s[0]); i++) \
      printf("%x ", (unsigned)s[i]);                        \
    printf("| %d\n", (int)sizeof(s));                       \
  } while (0)
#define NARROW "\xe3\x81" "\x82"
int main(void) {
  P("\343\201\202" L"");
  P("あ" L"");
  P(L"" "あ");
  P("a\xff" L"b");
  P("é\x41" u"z");
  P(u"" "😀");
  P(U"x" "😀\377");
  P("\u3042" L"");
  P("" L"\343");
  P(NARROW L"");
  P("\343" "\201\202" L"" "\343");
  P(L"" "\343" "x" "\343\201\202");
  return 0;
}
