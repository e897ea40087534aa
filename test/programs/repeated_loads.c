/* The same memory read twice in straight-line code (loaded once by kplug), with stores,
 * calls, branches and index updates between the reads that must force a fresh load. */
#include <stdio.h>

struct P { int x, y; short s; };
static int g[8] = {5, 3, 8, 1, 9, 2, 7, 4};
static struct P ps[3] = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};

static void bump(int *p) { *p += 100; }
static int noinline_bump(int *p, int n) {
  int s = 0;
  for (int i = 0; i < n; i++) s += p[i]++;
  return s;
}

int main(void) {
  int a[6] = {1, 2, 3, 4, 5, 6};
  int *p = a;
  int i = 1;
  int r1 = p[i] + p[i] * 3 + p[i + 1];
  p[i] = 40;                       /* store: later reads see 40 */
  int r2 = p[i] + p[i + 1] - p[i];
  i++;                             /* index changed */
  int r3 = p[i] * 2 + p[i];
  bump(&p[i]);                     /* call writes memory */
  int r4 = p[i] + p[i];
  int c = p[0] > 0 ? p[3] : p[4];  /* branches */
  int r5 = p[3] + c + p[4];
  struct P *q = &ps[1];
  int r6 = q->x + q->y + q->x * q->s;
  q->x = q->y + q->s;
  int r7 = q->x + ps[1].x + q->y;
  q++;
  int r8 = q->x - q->y + q->x;
  int r9 = g[g[1]] + g[g[1]] + g[3];
  g[3] = 77;
  r9 += g[3] + g[g[1]];
  int r10 = noinline_bump(a, 3) + a[0] + a[1] + noinline_bump(a, 2) + a[0];
  unsigned char bytes[4] = {200, 100, 50, 25};
  unsigned char *b = bytes;
  int r11 = b[0] + (signed char)b[0] + (short)b[0] + b[0];
  printf("%d %d %d %d %d %d %d %d %d %d %d\n", r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11);
  return 0;
}
