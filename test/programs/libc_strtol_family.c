#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
int main(void) {
  const char *v[] = {"  -123abc", "0x1F", "0X", "0x", "077", "09", "+", "-0", "2147483647", "2147483648",
                     "-2147483648", "-2147483649", "4294967295", "4294967296", "-1", "zz", "  \t\n42",
                     "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                     "18446744073709551615", "18446744073709551616", "123456789012345678901234567890", ""};
  int bases[] = {0, 10, 16, 8, 36, 2, 1, 37};
  for (int i = 0; i < 24; i++) {
    for (int b = 0; b < 8; b++) {
      char *e;
      errno = 0;
      long l = strtol(v[i], &e, bases[b]);
      int el = errno, pl = (int)(e - v[i]);
      errno = 0;
      unsigned long ul = strtoul(v[i], &e, bases[b]);
      int eul = errno, pul = (int)(e - v[i]);
      errno = 0;
      long long ll = strtoll(v[i], &e, bases[b]);
      int ell = errno, pll = (int)(e - v[i]);
      errno = 0;
      unsigned long long ull = strtoull(v[i], &e, bases[b]);
      int eull = errno, pull = (int)(e - v[i]);
      printf("'%s' b%d: %ld/%d/%d %lu/%d/%d %" PRId64 "/%d/%d %" PRIu64 "/%d/%d\n", v[i], bases[b], l, pl, el,
             ul, pul, eul, (int64_t)ll, pll, ell, (uint64_t)ull, pull, eull);
    }
    printf("atoi %d atol %ld atoll %lld\n", atoi(v[i]), atol(v[i]), atoll(v[i]));
  }
  int64_t x;
  sscanf("-77", "%" SCNd64, &x);
  printf("%" PRId64 " %" PRIx64 "\n", x, (uint64_t)x);
  return 0;
}
