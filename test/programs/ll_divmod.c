#include <stdio.h>

int main(void) {
  long long vals[] = {0, 1, -1, 7, -7, 1000000007LL, -1000000007LL, 9223372036854775807LL,
                      -9223372036854775807LL, 123456789012345678LL, 4294967296LL, -4294967297LL};
  long long divs[] = {1, -1, 2, -3, 7, 10, 4294967296LL, -65536, 1000000007LL, 3037000499LL};
  int nv = sizeof vals / sizeof vals[0];
  int nd = sizeof divs / sizeof divs[0];
  long long check = 0;
  for (int i = 0; i < nv; i++) {
    for (int j = 0; j < nd; j++) {
      long long q = vals[i] / divs[j];
      long long r = vals[i] % divs[j];
      if (q * divs[j] + r != vals[i]) printf("MISMATCH\n");
      check ^= q * 31 + r;
      if (j % 3 == 0) printf("%lld / %lld = %lld rem %lld\n", vals[i], divs[j], q, r);
    }
  }
  unsigned long long uv[] = {0, 1, 18446744073709551615ULL, 9223372036854775808ULL, 12345678901234567890ULL,
                             4294967295ULL, 4294967296ULL};
  unsigned long long ud[] = {1, 3, 10, 4294967295ULL, 4294967297ULL, 18446744073709551615ULL, 1000000000000ULL};
  for (int i = 0; i < 7; i++) {
    for (int j = 0; j < 7; j++) {
      unsigned long long q = uv[i] / ud[j];
      unsigned long long r = uv[i] % ud[j];
      check += (long long)(q ^ r);
      printf("%llu / %llu = %llu rem %llu\n", uv[i], ud[j], q, r);
    }
  }
  /* mixing signed and unsigned 64-bit division */
  long long sneg = -10;
  unsigned long long uthree = 3;
  printf("-10/3ull=%llu\n", sneg / uthree);
  printf("-10%%3ull=%llu\n", sneg % uthree);
  printf("check=%lld\n", check);
  return (int)(check & 0xff);
}
