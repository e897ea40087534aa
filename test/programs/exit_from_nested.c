#include <stdio.h>
#include <stdlib.h>

static int depth = 0;

static void dive(int n) {
  depth++;
  if (n == 0) {
    printf("reached bottom at depth %d, exiting with 7\n", depth);
    exit(7);
  }
  dive(n - 1);
  printf("never printed\n");
}

int main(void) {
  printf("start\n");
  dive(25);
  printf("not reached\n");
  return 0;
}
