/* sscanf at the edges, as glibc: input failures before any conversion return EOF, "0x" reads 0,
   an exponent marker without digits is consumed, "nan(...)" leaves its parentheses, hex floats
   at the ends of the double range, %c widths at the end of input. */
#include <stdio.h>
#include <string.h>
int main(void) {
  char b[16]; int x = -1, y = -1; int r;
  memset(b, 0, sizeof b);
  r = sscanf("ab", "%5c", b); printf("%d <%s>\n", r, b);
  r = sscanf("abc", "abc%d", &x); printf("%d\n", r);
  r = sscanf("abc", "abd%d", &x); printf("%d\n", r);
  r = sscanf("5", "%d%d", &x, &y); printf("%d %d %d\n", r, x, y);
  r = sscanf("5 ", "%d %n", &x, &y); printf("%d %d %d\n", r, x, y);
  r = sscanf("", "%n", &y); printf("%d %d\n", r, y);
  r = sscanf("  ", " %c", b); printf("%d\n", r);
  r = sscanf("x", "%*c%c", b); printf("%d\n", r);
  r = sscanf("-", "%d", &x); printf("%d\n", r);
  r = sscanf("0x", "%x", &x); printf("%d %d\n", r, x);
  r = sscanf("08", "%i", &x); printf("%d %d\n", r, x);
  r = sscanf("1e", "%d%s", &x, b); printf("%d %d %s\n", r, x, b);
  r = sscanf("abc", "%2[a-z]%s", b, b + 8); printf("%d %s %s\n", r, b, b + 8);
  r = sscanf("%  5", "%% %d", &x); printf("%d %d\n", r, x);
  r = sscanf("a%b", "a%%b"); printf("%d\n", r);
  r = sscanf("nan(abc) infinity", "%lf%s", (double*)b, b+8); printf("%d %s\n", r, b+8);
  r = sscanf("infx", "%lf%s", (double*)b, b+8); printf("%d %s\n", r, b+8);
  r = sscanf("inx", "%lf%s", (double*)b, b+8); printf("%d\n", r);
  r = sscanf("1.5e+", "%lf%s", (double*)b, b+8); printf("%d %g\n", r, *(double*)b);
  r = sscanf("  -0x1p-2", "%lf", (double*)b); printf("%d %g\n", r, *(double*)b);
  r = sscanf("0x1.fffffffffffff8p1023", "%lf", (double*)b); printf("%d %g\n", r, *(double*)b);
  r = sscanf("0x.0000000000001p-1022", "%lf", (double*)b); printf("%d %g\n", r, *(double*)b);
  r = sscanf("12 34", "%1d%1d %1d", &x, &y, &r); printf("%d %d\n", x, y);
  return 0;
}
