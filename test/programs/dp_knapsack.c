#include <stdio.h>
#include <string.h>

#define NI 20
#define CAP 500

int main(void) {
  int w[NI], v[NI];
  for (int i = 0; i < NI; i++) {
    w[i] = 10 + (i * 37) % 90;
    v[i] = 5 + (i * 53) % 120;
  }
  static int best[NI + 1][CAP + 1];
  for (int i = 1; i <= NI; i++)
    for (int c = 0; c <= CAP; c++) {
      best[i][c] = best[i - 1][c];
      if (w[i - 1] <= c && best[i - 1][c - w[i - 1]] + v[i - 1] > best[i][c])
        best[i][c] = best[i - 1][c - w[i - 1]] + v[i - 1];
    }
  printf("best value=%d\n", best[NI][CAP]);
  int c = CAP, tw = 0;
  printf("items:");
  for (int i = NI; i > 0; i--)
    if (best[i][c] != best[i - 1][c]) {
      printf(" %d", i - 1);
      c -= w[i - 1];
      tw += w[i - 1];
    }
  printf("\nweight=%d\n", tw);
  /* 1-D unbounded coin change: number of ways */
  long long ways[1001];
  memset(ways, 0, sizeof ways);
  ways[0] = 1;
  int coins[] = {1, 2, 5, 10, 20, 50, 100, 200};
  for (int k = 0; k < 8; k++)
    for (int a = coins[k]; a <= 1000; a++) ways[a] += ways[a - coins[k]];
  printf("ways(200)=%lld ways(1000)=%lld\n", ways[200], ways[1000]);
  return best[NI][CAP] & 0xff;
}
