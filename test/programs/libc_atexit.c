#include <stdio.h>
#include <stdlib.h>
static void first(void) { printf("first registered, runs last\n"); }
static void second(void) { printf("second\n"); }
static void third(void) { printf("third registered, runs first\n"); }
int main(void) {
  int a = atexit(first);
  int b = atexit(second);
  int c = atexit(third);
  printf("%d %d %d\n", a, b, c);
  printf("main returns\n");
  return 3;
}
