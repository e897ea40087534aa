#include <stdio.h>

static int x = 1;

static int get_global(void) { return x; }

int main(void) {
  printf("global x=%d\n", x);
  int x = 2;
  printf("local x=%d global via fn=%d\n", x, get_global());
  {
    int x = 3;
    printf("block x=%d\n", x);
    {
      x++;
      int x = 10;
      printf("inner x=%d\n", x);
    }
    printf("block x after=%d\n", x);
  }
  printf("local x=%d\n", x);
  for (int x = 0; x < 2; x++) {
    int y = x * 100;
    printf("loop x=%d y=%d\n", x, y);
  }
  int total = 0;
  for (int i = 0; i < 3; i++) {
    int i2 = i * i; /* declaration after statements */
    total += i2;
    int i3 = i2 * i;
    total += i3;
  }
  printf("total=%d\n", total);
  /* declarations in the middle of a block */
  int a = 5;
  a *= 2;
  int b = a + 1;
  b *= 2;
  int c = a + b;
  printf("a=%d b=%d c=%d\n", a, b, c);
  /* struct tag shadowing */
  struct P { int v; } p = {1};
  {
    struct P { double d; int w; } q = {2.5, 7};
    printf("inner struct: %f %d sizeof=%d\n", q.d, q.w, (int)sizeof(struct P));
  }
  printf("outer struct: %d sizeof=%d\n", p.v, (int)sizeof(struct P));
  return x + total + c;
}
