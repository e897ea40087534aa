// expect: 5:3: error: 'va_start' used in function with fixed arguments
#include <stdarg.h>
int fixed(int n) {
  va_list ap;
  va_start(ap, n);
  int v = va_arg(ap, int);
  va_end(ap);
  return v;
}
int main(void) { return fixed(1); }
