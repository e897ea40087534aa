/* Values of postfix ++/-- on locals, parameters and pointers, including wrap-around. */
#include <limits.h>
#include <stdio.h>

static int table[16];

static int walk(const int *p, int n) {
  int s = 0;
  while (n-- > 0) s = s * 3 + *p++;
  return s;
}

static unsigned wrap(unsigned u, int i) {
  unsigned a = u++;
  int b = i--;
  return a + u + (unsigned)b + (unsigned)i;
}

int main(void) {
  for (int i = 0; i < 16; i++) table[i] = i * i - 7;
  int k = 0, acc = 0;
  while (k < 16) acc += table[k++] * k;
  int *p = table + 15;
  int back = 0;
  for (int j = 0; j < 5; j++) back += *p-- + (int)(p - table);
  short s = 32767;
  short t = s++;
  int m = INT_MIN;
  int old = m--;
  char code[8] = {3, 1, 4, 1, 5, 9, 2, 6};
  int pc = 0, h = 0;
  while (pc < 8) h = h * 7 + code[pc++] + pc;
  printf("%d %d %d %d %d %d %d %u %u %d\n", acc, k, back, walk(table, 16), t, s, old, m,
         wrap(0xffffffffu, INT_MIN), h);
  return 0;
}
