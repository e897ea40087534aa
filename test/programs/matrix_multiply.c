#include <stdio.h>
#include <stdlib.h>

#define N 64

static void matmul_int(const int *a, const int *b, int *c, int n) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      int s = 0;
      for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
}

static void matmul_dbl(double a[N][N], double b[N][N], double c[N][N]) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) c[i][j] = 0;
  for (int i = 0; i < N; i++)
    for (int k = 0; k < N; k++) {
      double aik = a[i][k];
      for (int j = 0; j < N; j++) c[i][j] += aik * b[k][j];
    }
}

static double A[N][N], B[N][N], C[N][N];

int main(void) {
  int *a = malloc(N * N * sizeof(int)), *b = malloc(N * N * sizeof(int)), *c = malloc(N * N * sizeof(int));
  for (int i = 0; i < N * N; i++) {
    a[i] = (i * 7) % 11 - 5;
    b[i] = (i * 13) % 17 - 8;
  }
  matmul_int(a, b, c, N);
  long long tr = 0, sum = 0;
  for (int i = 0; i < N; i++) tr += c[i * N + i];
  for (int i = 0; i < N * N; i++) sum += c[i];
  printf("int: trace=%lld sum=%lld c[1][2]=%d\n", tr, sum, c[1 * N + 2]);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      A[i][j] = (i + 1) * 0.5 - j * 0.25;
      B[i][j] = i == j ? 2.0 : (i + j) % 3 * 0.125;
    }
  matmul_dbl(A, B, C);
  double dtr = 0, dsum = 0;
  for (int i = 0; i < N; i++) dtr += C[i][i];
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) dsum += C[i][j];
  printf("dbl: trace=%.6f sum=%.6f C[3][5]=%.6f\n", dtr, dsum, C[3][5]);
  free(a);
  free(b);
  free(c);
  return (int)(tr & 0xff);
}
