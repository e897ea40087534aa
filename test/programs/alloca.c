// alloca / __builtin_alloca: blocks of the caller's stack frame, distinct and 16-aligned, freed
// when it returns (20000 calls would exhaust the stack otherwise); in loops, each call a new block.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *fn(int x, void *p, int y) { return (char *)p + x - y + 2; }

static int fill(int n) {
  char *p = alloca(n);
  memset(p, 'a', n);
  int s = 0;
  for (int i = 0; i < n; i++) s += p[i];
  return s;
}

static int loop(int k) {
  int total = 0;
  int *prev = 0;
  for (int i = 0; i < k; i++) {
    int *q = __builtin_alloca(sizeof(int) * 4);
    q[0] = i;
    if (prev) total += prev[0];
    if (prev && q >= prev) return -1;  // the stack grows down: a later block is below
    prev = q;
  }
  return total;
}

int main(void) {
  char *p1 = alloca(16);
  char *p2 = alloca(16);
  char *p3 = 1 + (char *)alloca(3) + 1;
  p3 -= 2;
  char *p4 = fn(1, alloca(16), 3);
  memcpy(p1, "0123456789abcdef", 16);
  memcpy(p2, "ghijklmnopqrstuv", 16);
  memcpy(p3, "wxy", 3);
  memcpy(p4, "z", 2);
  printf("%.16s %.16s %.3s %s\n", p1, p2, p3, p4);
  printf("%d %d %d\n", p1 != p2 && p2 != p3 && p3 != p4, (unsigned long)p1 % 16 == 0,
         (unsigned long)p2 % 16 == 0);
  long sum = 0;
  for (int i = 0; i < 20000; i++) sum += fill(100 + i % 7);  // freed at each return
  printf("%ld %d\n", sum, loop(100));
  void *z = alloca(0);
  printf("%d\n", z != 0);
  return 0;
}
