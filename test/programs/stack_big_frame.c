#include <stdio.h>
#include <string.h>

static int fill_and_sum(int seed) {
  int big[8192]; /* 32 KiB frame */
  for (int i = 0; i < 8192; i++) big[i] = (i * seed) & 0xff;
  int s = 0;
  for (int i = 0; i < 8192; i += 7) s += big[i];
  return s;
}

static int nested(int depth) {
  char scratch[1024];
  memset(scratch, depth & 0x7f, sizeof scratch);
  if (depth == 0) return scratch[0];
  return scratch[depth % 1024] + nested(depth - 1);
}

int main(void) {
  int a = fill_and_sum(3);
  int b = fill_and_sum(7);
  printf("a=%d b=%d\n", a, b);
  int c = nested(40); /* 40 KiB of frames */
  printf("c=%d\n", c);
  double local[1000];
  for (int i = 0; i < 1000; i++) local[i] = i * 0.5;
  double t = 0;
  for (int i = 0; i < 1000; i++) t += local[i];
  printf("t=%.1f\n", t);
  return (a + b + c) & 0xff;
}
