// expect: 6:13: error: 'float' is promoted to 'double' when passed through '...'
#include <stdarg.h>
float first(int n, ...) {
  va_list ap;
  va_start(ap, n);
  float f = va_arg(ap, float);
  va_end(ap);
  return f;
}
int main(void) { return (int)first(1, 2.0f); }
