#include <stdio.h>

int main(void) {
  int cube[3][4][5];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      for (int k = 0; k < 5; k++) cube[i][j][k] = i * 100 + j * 10 + k;
  long total = 0;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 4; j++)
      for (int k = 0; k < 5; k++) total += cube[i][j][k];
  printf("total=%ld\n", total);
  printf("sizes: %d %d %d %d\n", (int)sizeof cube, (int)sizeof cube[0], (int)sizeof cube[0][0],
         (int)sizeof cube[0][0][0]);
  int (*plane)[4][5] = cube;
  printf("plane[2][3][4]=%d\n", plane[2][3][4]);
  int (*row)[5] = cube[1];
  printf("row[2][2]=%d\n", row[2][2]);
  int *cell = cube[2][1];
  printf("cell[3]=%d\n", cell[3]);
  printf("ptrdiff planes=%d rows=%d\n", (int)(&cube[2] - &cube[0]), (int)(&cube[1][3] - &cube[1][0]));
  static const char words[2][3][6] = {{"red", "green", "blue"}, {"cyan", "pink", "gray"}};
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++) printf("%s%c", words[i][j], j == 2 ? '\n' : ',');
  double grid[2][2][2] = {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}};
  double prod = 1;
  for (int i = 0; i < 8; i++) prod *= (&grid[0][0][0])[i];
  printf("prod=%.0f\n", prod);
  return (int)(total % 256);
}
