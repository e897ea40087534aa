#include <stdio.h>

static int steps(unsigned long long n) {
  int s = 0;
  while (n != 1) {
    n = n & 1 ? 3 * n + 1 : n / 2;
    s++;
  }
  return s;
}

int main(void) {
  int best = 0;
  unsigned best_n = 0;
  long long total = 0;
  unsigned long long peak_all = 0;
  for (unsigned n = 1; n < 100000; n++) {
    int s = steps(n);
    total += s;
    if (s > best) { best = s; best_n = n; }
  }
  unsigned long long n = 77031, peak = n;
  while (n != 1) { n = n & 1 ? 3 * n + 1 : n / 2; if (n > peak) peak = n; }
  peak_all = peak;
  printf("longest below 100000: n=%u steps=%d total=%lld peak(77031)=%llu\n", best_n, best, total, peak_all);
  printf("steps(27)=%d steps(837799)=%d\n", steps(27), steps(837799));
  return best & 0xff;
}
