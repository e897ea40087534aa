#include <stdio.h>

int main(void) {
  int found_i = -1, found_j = -1;
  for (int i = 0; i < 10; i++) {
    int done = 0;
    for (int j = 0; j < 10; j++) {
      if ((i * j) % 7 == 6) { found_i = i; found_j = j; done = 1; break; }
    }
    if (done) break;
  }
  printf("found %d %d\n", found_i, found_j);
  int odd_sum = 0;
  for (int i = 0; i < 20; i++) {
    if (i % 2 == 0) continue;
    if (i > 15) break;
    odd_sum += i;
  }
  printf("odd_sum=%d\n", odd_sum);
  int k = 0, skipped = 0;
  while (k < 30) {
    k++;
    if (k % 5 == 0) { skipped++; continue; }
    if (k == 27) break;
  }
  printf("k=%d skipped=%d\n", k, skipped);
  int d = 0, iters = 0;
  do {
    d++;
    if (d == 3) continue; /* continue in do-while jumps to the condition */
    iters++;
  } while (d < 6);
  printf("d=%d iters=%d\n", d, iters);
  /* continue inside switch inside loop affects loop */
  int total = 0;
  for (int i = 0; i < 10; i++) {
    switch (i % 3) {
      case 0: continue;
      case 1: total += 1; break;
      default: total += 100;
    }
    total += 1000;
  }
  printf("total=%d\n", total);
  return total % 256;
}
