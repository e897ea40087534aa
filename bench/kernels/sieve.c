/* sieve: Eratosthenes up to n; returns the prime count mixed with the largest prime. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *composite;

int setup(int n) {
  composite = (uint8_t *)malloc((size_t)n + 1);
  return composite ? 0 : 1;
}

uint32_t run(int n) {
  memset(composite, 0, (size_t)n + 1);
  for (int i = 2; (int64_t)i * i <= n; i++) {
    if (composite[i]) continue;
    for (int j = i * i; j <= n; j += i) composite[j] = 1;
  }
  uint32_t count = 0;
  uint32_t largest = 0;
  for (int i = 2; i <= n; i++) {
    if (!composite[i]) {
      count++;
      largest = (uint32_t)i;
    }
  }
  return count * 2654435761u ^ largest;
}
