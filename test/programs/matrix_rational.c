#include <stdio.h>

typedef struct { long long n, d; } Q;

static long long gcd(long long a, long long b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b) { long long t = a % b; a = b; b = t; }
  return a;
}

static Q q(long long n, long long d) {
  if (d < 0) { n = -n; d = -d; }
  long long g = gcd(n, d);
  if (g > 1) { n /= g; d /= g; }
  Q r = {n, d};
  return r;
}
static Q qsub(Q a, Q b) { return q(a.n * b.d - b.n * a.d, a.d * b.d); }
static Q qmul(Q a, Q b) { return q(a.n * b.n, a.d * b.d); }
static Q qdiv(Q a, Q b) { return q(a.n * b.d, a.d * b.n); }

#define N 4

int main(void) {
  Q m[N][2 * N];
  int src[N][N] = {{2, -1, 0, 3}, {1, 3, 2, -1}, {0, 1, 4, 1}, {5, 0, -2, 2}};
  for (int i = 0; i < N; i++)
    for (int j = 0; j < 2 * N; j++) m[i][j] = j < N ? q(src[i][j], 1) : q(i == j - N, 1);
  Q det = q(1, 1);
  for (int c = 0; c < N; c++) {
    int p = c;
    while (p < N && m[p][c].n == 0) p++;
    if (p == N) { printf("singular\n"); return 1; }
    if (p != c) {
      for (int j = 0; j < 2 * N; j++) { Q t = m[c][j]; m[c][j] = m[p][j]; m[p][j] = t; }
      det = qmul(det, q(-1, 1));
    }
    Q pivot = m[c][c];
    det = qmul(det, pivot);
    for (int j = 0; j < 2 * N; j++) m[c][j] = qdiv(m[c][j], pivot);
    for (int r = 0; r < N; r++) {
      if (r == c || m[r][c].n == 0) continue;
      Q f = m[r][c];
      for (int j = 0; j < 2 * N; j++) m[r][j] = qsub(m[r][j], qmul(f, m[c][j]));
    }
  }
  printf("det = %lld/%lld\n", det.n, det.d);
  printf("inverse:\n");
  for (int i = 0; i < N; i++) {
    for (int j = N; j < 2 * N; j++) printf("%8lld/%-4lld", m[i][j].n, m[i][j].d);
    printf("\n");
  }
  return (int)(det.n & 0xff);
}
