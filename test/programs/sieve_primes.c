#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIMIT 2000000

int main(void) {
  unsigned char *composite = calloc(LIMIT + 1, 1);
  int count = 0;
  long long sum = 0;
  int last = 0;
  for (int i = 2; i <= LIMIT; i++) {
    if (composite[i]) continue;
    count++;
    sum += i;
    last = i;
    if ((long long)i * i <= LIMIT)
      for (int j = i * i; j <= LIMIT; j += i) composite[j] = 1;
  }
  printf("primes<=%d: count=%d sum=%lld last=%d\n", LIMIT, count, sum, last);
  /* bit-packed segmented sieve for odd numbers */
  int n = 1000000;
  unsigned *bits = calloc((n / 2) / 32 + 1, sizeof(unsigned));
  int c2 = 1; /* 2 */
  for (int i = 3; i <= n; i += 2) {
    int idx = i / 2;
    if (bits[idx >> 5] & (1u << (idx & 31))) continue;
    c2++;
    for (long long j = (long long)i * i; j <= n; j += 2 * i) {
      int k = (int)(j / 2);
      bits[k >> 5] |= 1u << (k & 31);
    }
  }
  printf("bitsieve primes<=%d: %d\n", n, c2);
  int twins = 0;
  for (int i = 3; i + 2 <= 100000; i += 2)
    if (!composite[i] && !composite[i + 2]) twins++;
  printf("twin pairs below 100000: %d\n", twins);
  free(composite);
  free(bits);
  return count % 256;
}
