// Compound literals are lvalues (C99 6.5.2.5): assigned, incremented and addressed, in scalar,
// struct and array form.
#include <stdio.h>

struct pt {
  int x, y;
};

int main(void) {
  int *p = &(int){4};
  (int){3} = 5;
  (int){7}++;
  int n = ++(int){9};
  int m = ((int){2} += 40);
  struct pt q = ((struct pt){1, 2} = (struct pt){3, 4});
  (struct pt){5, 6}.y = 8;
  int s = 0;
  for (int i = 0; i < 3; i++) s += ((int[]){10, 20, 30})[i]++;
  printf("%d %d %d %d %d %d\n", *p, n, m, q.x, q.y, s);
  return 0;
}
