#include <stdio.h>

#define N 5

static int trace(int m[N][N]) {
  int t = 0;
  for (int i = 0; i < N; i++) t += m[i][i];
  return t;
}

static void transpose(int (*m)[N]) {
  for (int i = 0; i < N; i++)
    for (int j = i + 1; j < N; j++) {
      int t = m[i][j];
      m[i][j] = m[j][i];
      m[j][i] = t;
    }
}

static int row_sum(const int *row, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += row[i];
  return s;
}

int main(void) {
  int m[N][N];
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) m[i][j] = i * N + j;
  printf("trace=%d\n", trace(m));
  transpose(m);
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) printf("%3d", m[i][j]);
    printf(" | %d\n", row_sum(m[i], N));
  }
  printf("sizeof m=%d m[0]=%d m[0][0]=%d\n", (int)sizeof m, (int)sizeof m[0], (int)sizeof m[0][0]);
  int (*rowp)[N] = m + 2;
  printf("rowp[0][1]=%d rowp[1][0]=%d\n", rowp[0][1], rowp[1][0]);
  int *flat = &m[0][0];
  int fs = 0;
  for (int i = 0; i < N * N; i++) fs += flat[i] * (i % 3);
  printf("flat weighted=%d\n", fs);
  char names[3][8] = {"ab", "cdef", "g"};
  for (int i = 0; i < 3; i++) printf("%s/", names[i]);
  printf("\n");
  int init[2][3] = {{1, 2, 3}, {4}};
  int init2[][2] = {1, 2, 3, 4, 5};
  printf("init: %d %d %d | rows=%d last=%d,%d\n", init[1][0], init[1][1], init[1][2],
         (int)(sizeof init2 / sizeof init2[0]), init2[2][0], init2[2][1]);
  return trace(m) + fs % 100;
}
