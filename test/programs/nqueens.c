#include <stdio.h>

static int solutions;
static int first[16];
static int have_first;

static void place(int n, int row, int *cols, unsigned colmask, unsigned d1, unsigned d2) {
  if (row == n) {
    if (!have_first) {
      for (int i = 0; i < n; i++) first[i] = cols[i];
      have_first = 1;
    }
    solutions++;
    return;
  }
  unsigned avail = ~(colmask | d1 | d2) & ((1u << n) - 1);
  while (avail) {
    unsigned bit = avail & (0u - avail);
    avail ^= bit;
    int c = 0;
    while (!(bit >> c & 1)) c++;
    cols[row] = c;
    place(n, row + 1, cols, colmask | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
  }
}

int main(void) {
  int cols[16];
  int total = 0;
  for (int n = 1; n <= 10; n++) {
    solutions = 0;
    have_first = 0;
    place(n, 0, cols, 0, 0, 0);
    printf("n=%d solutions=%d\n", n, solutions);
    total += solutions;
    if (n == 8) {
      for (int r = 0; r < 8; r++) {
        for (int c = 0; c < 8; c++) putchar(first[r] == c ? 'Q' : '.');
        putchar('\n');
      }
    }
  }
  return total & 0xff;
}
