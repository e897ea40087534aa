#include <stdio.h>
#include <stdlib.h>
static int count;
static void counted(void) { count++; }
static void report(void) { printf("handlers before me: %d\n", count); }
int main(void) {
  atexit(report);
  for (int i = 0; i < 20; i++) atexit(counted);
  printf("calling exit\n");
  exit(5);
}
