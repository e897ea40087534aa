// Runs of adjacent string literals joined by the preprocessor in one buffer (cc/wide-strings.ts
// LiteralRun): narrow runs, a narrow run widened by a later L/u/U piece, u8 pieces, and runs
// long enough to regrow the buffer several times.
#include <stdio.h>
#include <string.h>
#include <wchar.h>

typedef unsigned short char16_t;
typedef unsigned int char32_t;

#define TEN "0123456789"
#define HUNDRED TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN

static const char narrow[] = "ab" "cd" u8"\u00e9f" "g" HUNDRED "end";
static const wchar_t widened[] = "ab" "c\u00e9" "d" HUNDRED L"W" "x\U0001F600" "y" HUNDRED;
static const char16_t utf16[] = "p" u"q" "\U0001F600" u"r" "s";
static const char32_t utf32[] = "\u00e9" "t" U"u" "\U0001F600" "v";
static const wchar_t wide_first[] = L"A" "b" "c" L"D" "e";

int main(void) {
  unsigned h = 0;
  printf("%zu %zu\n", sizeof narrow, strlen(narrow));
  for (unsigned i = 0; i < sizeof narrow; i++) h = h * 31 + (unsigned char)narrow[i];
  printf("%u\n", h);
  printf("%zu %zu\n", sizeof widened / sizeof widened[0], wcslen(widened));
  h = 0;
  for (unsigned i = 0; i < sizeof widened / sizeof widened[0]; i++) h = h * 31 + (unsigned)widened[i];
  printf("%u %x %x\n", h, (unsigned)widened[3], (unsigned)widened[107]);
  printf("%zu:", sizeof utf16 / sizeof utf16[0]);
  for (unsigned i = 0; i < sizeof utf16 / sizeof utf16[0]; i++) printf(" %x", utf16[i]);
  printf("\n%zu:", sizeof utf32 / sizeof utf32[0]);
  for (unsigned i = 0; i < sizeof utf32 / sizeof utf32[0]; i++) printf(" %x", utf32[i]);
  printf("\n%zu:", sizeof wide_first / sizeof wide_first[0]);
  for (unsigned i = 0; i < sizeof wide_first / sizeof wide_first[0]; i++) printf(" %x", (unsigned)wide_first[i]);
  printf("\n");
  return 0;
}
