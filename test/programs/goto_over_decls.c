#include <stdio.h>

int main(void) {
  int n = 0, total = 0;
again:;
  int k = 10; /* initialized each time control passes the declaration */
  k += n;
  total += k;
  n++;
  if (n < 4) goto again;
  printf("total=%d n=%d\n", total, n);

  /* forward goto into the same block past code but not past a declaration's scope start */
  int steps = 0;
  for (int i = 0; i < 3; i++) {
    if (i == 1) goto tail;
    steps += 10;
  tail:
    steps++;
  }
  printf("steps=%d\n", steps);

  /* retry loop with state reset through a declaration */
  int attempts = 0;
retry:;
  int budget = 3;
  while (budget-- > 0) attempts++;
  if (attempts < 9) goto retry;
  printf("attempts=%d budget=%d\n", attempts, budget);
  return total + steps + attempts;
}
