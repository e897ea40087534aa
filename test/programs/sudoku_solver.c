#include <stdio.h>

static int grid[9][9];
static long nodes;

static int ok(int r, int c, int v) {
  for (int i = 0; i < 9; i++)
    if (grid[r][i] == v || grid[i][c] == v) return 0;
  int br = r / 3 * 3, bc = c / 3 * 3;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      if (grid[br + i][bc + j] == v) return 0;
  return 1;
}

static int solve(void) {
  nodes++;
  for (int r = 0; r < 9; r++)
    for (int c = 0; c < 9; c++) {
      if (grid[r][c]) continue;
      for (int v = 1; v <= 9; v++) {
        if (ok(r, c, v)) {
          grid[r][c] = v;
          if (solve()) return 1;
          grid[r][c] = 0;
        }
      }
      return 0;
    }
  return 1;
}

int main(void) {
  const char *puzzle =
    "53..7...."
    "6..195..."
    ".98....6."
    "8...6...3"
    "4..8.3..1"
    "7...2...6"
    ".6....28."
    "...419..5"
    "....8..79";
  for (int i = 0; i < 81; i++) grid[i / 9][i % 9] = puzzle[i] == '.' ? 0 : puzzle[i] - '0';
  int solved = solve();
  printf("solved=%d nodes=%ld\n", solved, nodes);
  for (int r = 0; r < 9; r++) {
    for (int c = 0; c < 9; c++) printf("%d%s", grid[r][c], c % 3 == 2 && c < 8 ? " | " : " ");
    printf("\n");
    if (r % 3 == 2 && r < 8) printf("------+-------+------\n");
  }
  int diag = 0;
  for (int i = 0; i < 9; i++) diag = diag * 10 + grid[i][i];
  printf("diag=%d\n", diag);
  return grid[4][4];
}
