#include <stdio.h>

static void swap_ptrs(int **a, int **b) {
  int *t = *a;
  *a = *b;
  *b = t;
}

static void set_via(int ***ppp, int v) { ***ppp = v; }

static int count_words(char **words) {
  int n = 0;
  while (*words++) n++;
  return n;
}

int main(void) {
  int x = 1, y = 2;
  int *px = &x, *py = &y;
  swap_ptrs(&px, &py);
  printf("*px=%d *py=%d x=%d y=%d\n", *px, *py, x, y);
  int **ppx = &px;
  int ***pppx = &ppx;
  set_via(pppx, 42);
  printf("x=%d y=%d\n", x, y);
  char w1[] = "one", w2[] = "two", w3[] = "three";
  char *words[] = {w1, w2, w3, 0};
  printf("count=%d\n", count_words(words));
  char **wp = words;
  wp[1][0] = 'T';
  printf("%s %s %c\n", *wp, *(wp + 1), **(wp + 2));
  /* array of pointers into a 2D array */
  int grid[3][3] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  int *rows[3] = {grid[2], grid[0], grid[1]};
  int s = 0;
  for (int i = 0; i < 3; i++) s = s * 10 + rows[i][i];
  printf("s=%d\n", s);
  return y + s % 100;
}
