#include <stdio.h>

int main(void) {
  long long vals[] = {0, 1, -1, 4294967295LL, 4294967296LL, -4294967296LL, 9223372036854775807LL,
                      -9223372036854775807LL - 1};
  int n = 8;
  int lt = 0, ult = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      lt += (vals[i] < vals[j]) * (i * 8 + j);
      ult += ((unsigned long long)vals[i] < (unsigned long long)vals[j]) * (i * 8 + j);
    }
  printf("signed lt=%d unsigned lt=%d\n", lt, ult);
  for (int i = 0; i < n; i++) {
    long long v = vals[i];
    printf("%lld: hi=%d lo=%u dbl=%.1f int=%d eq0=%d neg=%d\n", v, (int)(v >> 32), (unsigned)v, (double)v, (int)v,
           v == 0, v < 0);
  }
  /* comparisons where only the high or low word differs */
  long long a = 0x100000001LL, b = 0x100000002LL, c = 0x200000001LL;
  printf("%d %d %d %d\n", a < b, b < c, a < c, c > b);
  long long na = -0x100000001LL, nb = -0x100000002LL;
  printf("%d %d\n", na > nb, (unsigned long long)na > (unsigned long long)nb);
  /* int vs long long compare promotes int */
  int i = -1;
  long long big = 3000000000LL;
  printf("i<big %d (unsigned)i<big %d\n", i < big, (unsigned)i < big);
  double d = 1e19;
  unsigned long long ud = (unsigned long long)d;
  printf("ud=%llu\n", ud);
  double d2 = -123456789012.75;
  printf("d2->ll=%lld\n", (long long)d2);
  float f = 1.5e10f;
  printf("f->ll=%lld\n", (long long)f);
  return lt & 0xff;
}
