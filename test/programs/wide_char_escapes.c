// Wide character constants: escapes as wide as the unit (L'\xffffffff' is -1 in wchar_t,
// U'\xffffffff' is 4294967295), and several units give the last one, as gcc does.
#include <stdio.h>

int main(void) {
  printf("%d %d %d\n", (int)(L'\xffffffff' >> 31), (int)(L'\xffffffff' < 0), (int)sizeof(L'a'));
  printf("%d %d\n", (int)(U'\xffffffff' >> 31), (int)(u'\xffff' >> 15));
  printf("%lld %lld %lld\n", (long long)L'\xffffffff', (long long)U'\xffffffff',
         (long long)u'\xffff');
  printf("%lld %lld %lld\n", (long long)L'\x80000000', (long long)L'\377', (long long)L'\0');
  printf("%d %d %d %d\n", (int)L'ab', (int)L'é', (int)u'é', (int)U'😀');
  printf("%d %d %d %d\n", (int)L'\x3042', (int)u'\x3042', (int)u'😀', (int)L'xyz');
  return 0;
}
