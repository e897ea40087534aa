/* sscanf's conversions against glibc: integers in every base with clamping, floats in every
   notation, strings, scansets, %c, %n, widths, suppression, length modifiers, and the return
   value at matching and input failures. */
#include <stdio.h>
#include <string.h>

static void ints(const char *in, const char *fmt) {
  int a = -1, b = -1, c = -1;
  int r = sscanf(in, fmt, &a, &b, &c);
  printf("[%s] [%s] -> %d: %d %d %d\n", in, fmt, r, a, b, c);
}

static void uns(const char *in, const char *fmt) {
  unsigned a = 1, b = 1;
  int r = sscanf(in, fmt, &a, &b);
  printf("[%s] [%s] -> %d: %u %u\n", in, fmt, r, a, b);
}

static void dbl(const char *in, const char *fmt) {
  double a = -1, b = -1;
  int r = sscanf(in, fmt, &a, &b);
  printf("[%s] [%s] -> %d: %.17g %.17g\n", in, fmt, r, a, b);
}

static void flt(const char *in) {
  float a = -1;
  int r = sscanf(in, "%f", &a);
  printf("[%s] %%f -> %d: %.9g\n", in, r, a);
}

static void str(const char *in, const char *fmt) {
  char a[32], b[32];
  memset(a, '#', sizeof a);
  memset(b, '#', sizeof b);
  a[31] = b[31] = 0;
  int r = sscanf(in, fmt, a, b);
  printf("[%s] [%s] -> %d: <%s> <%s>\n", in, fmt, r, a, b);
}

int main(void) {
  ints("1 2 3", "%d %d %d");
  ints("  -17+4   0009", "%d%d%d");
  ints("0x1f 017 99", "%i %i %i");
  ints("0X 12", "%i %d");
  ints("12345678", "%3d%2d%d");
  ints("2147483647 2147483648 -2147483649", "%d %d %d");
  ints("99999999999999999999999", "%d");
  ints("abc", "%d");
  ints("", "%d");
  ints("   ", "%d");
  ints("7 x", "%d %d");
  ints("7,8", "%d,%d");
  ints("7;8", "%d,%d");
  ints("5 6", "%*d %d");
  ints("100%", "%d%%");
  ints("1 2", "%d%n %d");
  ints("ff 0x10 -a", "%x %x %x");
  ints("777 8", "%o %o");
  ints("+ 5", "%d %d");
  uns("4294967295 4294967296", "%u %u");
  uns("-1 -4294967295", "%u %u");
  uns("-4294967296 99", "%u %u");
  uns("0xFFFFFFFF1 10", "%x %o");
  {
    long long a = 0, b = 0;
    unsigned long long c = 0;
    int r = sscanf("-9223372036854775808 9223372036854775808 18446744073709551615", "%lld %lld %llu", &a, &b, &c);
    printf("ll: %d %lld %lld %llu\n", r, a, b, c);
    r = sscanf("-1 123456789012", "%llu %lli", &c, &a);
    printf("ll: %d %llu %lld\n", r, c, a);
  }
  {
    short h = 0;
    signed char hh = 0;
    long l = 0;
    int r = sscanf("70000 300 -5", "%hd %hhd %ld", &h, &hh, &l);
    printf("h: %d %d %d %ld\n", r, h, hh, l);
  }
  dbl("3.25 -0.5", "%lf %lf");
  dbl("1e10 2E-3", "%le %lg");
  dbl(".5 5.", "%lf %lf");
  dbl("0x1.8p1 0X.8P-2", "%la %lf");
  dbl("inf -Infinity", "%lf %lf");
  dbl("nan NAN(123)", "%lf %lf");
  dbl("1.7976931348623157e308 4.9e-324", "%lf %lf");
  dbl("1e999 -1e-999", "%lf %lf");
  dbl("0.1000000000000000055511151231257827021181583404541015625 2.2250738585072011e-308", "%lf %lf");
  dbl("123456789012345678901234567890e-10 12.5e", "%lf %lf");
  dbl("1.5x 2", "%lf %lf");
  dbl("12345", "%3lf%lf");
  dbl("-.e5", "%lf");
  dbl("+0x", "%lf");
  flt("0.1");
  flt("3.4028235e38");
  flt("1e-46");
  flt("16777217");
  str("hello world", "%s %s");
  str("  tabbed\tword ", "%s%s");
  str("abcdef", "%3s%s");
  str("key=value;rest", "%[^=]=%[^;]");
  str("abc123def", "%[a-z]%[0-9]");
  str("]]a]x", "%[]a]%s");
  str("-a-b", "%[-a]%s");
  str("xyz", "%[abc]%s");
  str("a b", "%c%c");
  str("abcdef", "%4c%s");
  str("", "%s");
  str("word", "%*s%s");
  {
    char c = 0;
    int n1 = -1, n2 = -1;
    int r = sscanf("  x  y", "%n %c%n", &n1, &c, &n2);
    printf("n: %d %d %c %d\n", r, n1, c, n2);
    void *p = 0;
    r = sscanf("0x1234", "%p", &p);
    printf("p: %d %p\n", r, p);
  }
  return 0;
}
