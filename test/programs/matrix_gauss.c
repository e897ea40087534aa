#include <stdio.h>
#include <math.h>

#define N 6

/* solve Ax=b with partial pivoting; then verify the residual */
static int solve(double a[N][N + 1], double x[N]) {
  for (int col = 0; col < N; col++) {
    int piv = col;
    for (int r = col + 1; r < N; r++)
      if (fabs(a[r][col]) > fabs(a[piv][col])) piv = r;
    if (fabs(a[piv][col]) < 1e-12) return 0;
    if (piv != col)
      for (int k = 0; k <= N; k++) { double t = a[col][k]; a[col][k] = a[piv][k]; a[piv][k] = t; }
    for (int r = col + 1; r < N; r++) {
      double f = a[r][col] / a[col][col];
      for (int k = col; k <= N; k++) a[r][k] -= f * a[col][k];
    }
  }
  for (int r = N - 1; r >= 0; r--) {
    double s = a[r][N];
    for (int k = r + 1; k < N; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return 1;
}

int main(void) {
  double m[N][N + 1], orig[N][N + 1], x[N];
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) m[i][j] = 1.0 / (i + j + 1) + (i == j ? 1.0 : 0.0);
    m[i][N] = i + 1;
  }
  for (int i = 0; i < N; i++)
    for (int j = 0; j <= N; j++) orig[i][j] = m[i][j];
  int ok = solve(m, x);
  printf("ok=%d\n", ok);
  for (int i = 0; i < N; i++) printf("x[%d]=%.9f\n", i, x[i]);
  double maxres = 0;
  for (int i = 0; i < N; i++) {
    double s = 0;
    for (int j = 0; j < N; j++) s += orig[i][j] * x[j];
    double r = fabs(s - orig[i][N]);
    if (r > maxres) maxres = r;
  }
  printf("residual small=%d\n", maxres < 1e-9);
  return ok;
}
