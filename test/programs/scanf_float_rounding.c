/* %f into a float rounds once from the text (strtof), not through a double: the cases that
   sit on or next to a float midpoint, the overflow boundary, the smallest subnormal, hex. */
#include <stdio.h>
int main(void) {
  const char *in[] = {
    "1.000000059604644775390625",            /* exactly halfway 1 and 1+2^-23: even -> 1 */
    "1.0000000596046447753906250001",        /* just above: rounds up */
    "1.00000005960464477539062499999",       /* just below */
    "1.000000178813934326171875",            /* halfway, odd below -> up */
    "3.4028235677973366e38",                  /* FLT_MAX + half ulp: overflow boundary */
    "3.40282356779733661637539395458142568447e38",
    "3.4028235677973366163753939545814256844e38",
    "7.00649232162408535461864791644958065640e-46", /* half the smallest subnormal */
    "7.0064923216240853546186479164495806564e-46",
    "7.006492321624085354618647916449580656402e-46",
    "0x1.000001p0", "0x1.0000010000000000001p0", "0x1.0000030p0",
    "16777217", "16777217.0000000000000001", "33554435",
  };
  for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
    float f = 0;
    sscanf(in[i], "%f", &f);
    printf("%s -> %a %.9g\n", in[i], f, f);
  }
  return 0;
}
