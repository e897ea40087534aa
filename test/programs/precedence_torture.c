#include <stdio.h>

static int id(int x) { return x; }

int main(void) {
  int a = 3, b = 5, c = 2, d = 12, e = 7, f = 1, g = 0, h = 4;
  int r1 = a + b << c & d ^ e | f;
  int r2 = a + b * c - d / e % h;
  int r3 = a < b == c > d;
  int r4 = a & b == b;
  int r5 = g && f || h;
  int r6 = a ? b : c ? d : e;
  int r7 = g ? b : c ? d : e;
  int r8 = a-- - --b;
  printf("%d %d %d %d %d %d %d %d\n", r1, r2, r3, r4, r5, r6, r7, r8);
  printf("a=%d b=%d\n", a, b);
  int x = 10;
  int y = - -x;
  int z = -~x;
  int w = ~-x;
  int v = !!x + !x;
  printf("%d %d %d %d\n", y, z, w, v);
  int *p = &x;
  printf("%d %d\n", *&x, *&*&*p);
  int n = 5, count = 0;
  while (n --> 0) count++; /* "goes to" */
  printf("count=%d n=%d\n", count, n);
  int arr[4] = {10, 20, 30, 40};
  int *q = arr;
  int t1 = *q++ + 1;
  int t2 = (*q)++ * 2;
  int t3 = *++q;
  printf("%d %d %d arr1=%d\n", t1, t2, t3, arr[1]);
  int s = (id((1, 2)), id(3) + (4, 5));
  printf("s=%d\n", s);
  unsigned u = 1;
  int m = -1;
  printf("mixed: %d %d %u\n", m < u, m < (int)u, u + m);
  int sh = 1 << 2 + 1;
  int sh2 = (1 << 2) + 1;
  printf("sh=%d sh2=%d\n", sh, sh2);
  int cmp = 1 < 2 < 3;
  int cmp2 = 3 > 2 > 1;
  printf("cmp=%d cmp2=%d\n", cmp, cmp2);
  int k = 0;
  k = k++ ? 100 : 200; /* sequenced by the ternary's condition */
  printf("k=%d\n", k);
  int bits = 0xF0 | 0x0F & 0x3C ^ 0x11;
  printf("bits=%#x\n", bits);
  return (r1 + r2 + r8 + s) & 0xff;
}
