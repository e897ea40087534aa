#include <stdio.h>

/* goto to labels in the same or an enclosing block */
static int search(int grid[4][4], int target, int *ri, int *rj) {
  {
    for (int i = 0; i < 4; i++) {
      {
        for (int j = 0; j < 4; j++) {
          if (grid[i][j] == target) {
            *ri = i;
            *rj = j;
            goto hit;
          }
        }
      }
    }
    goto miss;
  }
hit:
  return 1;
miss:
  *ri = *rj = -1;
  return 0;
}

int main(void) {
  int grid[4][4];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) grid[i][j] = i * 7 + j * 3;
  int hits = 0;
  for (int t = 0; t < 30; t += 4) {
    int i, j;
    int h = search(grid, t, &i, &j);
    printf("target %d: %d at (%d,%d)\n", t, h, i, j);
    hits += h;
  }
  /* label inside a block, jumped to from the same block */
  int n = 0;
  {
    int local = 5;
  again:
    n += local;
    if (n < 20) goto again;
  }
  printf("n=%d\n", n);
  /* label at end of block needs a statement */
  {
    if (n) goto end_of_block;
    n = 0;
  end_of_block:;
  }
  printf("hits=%d\n", hits);
  return hits * 10 + n;
}
