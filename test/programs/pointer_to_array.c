#include <stdio.h>

typedef int Vec3[3];

static void scale(Vec3 v, int k) {
  for (int i = 0; i < 3; i++) v[i] *= k;
}

static int dot(const int (*a)[3], const int (*b)[3]) {
  int s = 0;
  for (int i = 0; i < 3; i++) s += (*a)[i] * (*b)[i];
  return s;
}

static int sum_rows(int (*rows)[3], int n) {
  int s = 0;
  for (int r = 0; r < n; r++)
    for (int c = 0; c < 3; c++) s += rows[r][c];
  return s;
}

int main(void) {
  Vec3 a = {1, 2, 3};
  Vec3 b = {4, 5, 6};
  scale(a, 2);
  printf("a=%d %d %d\n", a[0], a[1], a[2]);
  printf("dot=%d\n", dot(&a, &b));
  int (*pa)[3] = &a;
  (*pa)[1] = 100;
  printf("a[1]=%d sizeof *pa=%d\n", a[1], (int)sizeof *pa);
  Vec3 many[4] = {{1, 1, 1}, {2, 2, 2}, {3, 3, 3}, {4, 4, 4}};
  printf("sum_rows=%d\n", sum_rows(many, 4));
  int (*p)[3] = many;
  p++;
  printf("p[0][0]=%d p[1][2]=%d\n", p[0][0], p[1][2]);
  /* array of pointers vs pointer to array */
  int *ap[3] = {&a[0], &b[1], &many[3][2]};
  printf("ap: %d %d %d\n", *ap[0], *ap[1], *ap[2]);
  printf("sizeof ap=%d sizeof p=%d\n", (int)sizeof ap, (int)sizeof p);
  return dot(&a, &b) & 0xff;
}
