#include <stdio.h>

typedef struct { int q, r; } DivResult;
typedef struct { double re, im; } Complex;
typedef struct { char bytes[3]; } Tiny;
typedef struct { long long a, b, c, d; } Big;

static DivResult divmod(int a, int b) {
  DivResult d;
  d.q = a / b;
  d.r = a % b;
  return d;
}

static Complex cmul(Complex a, Complex b) {
  return (Complex){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

static Tiny make_tiny(char c) {
  Tiny t = {{c, (char)(c + 1), (char)(c + 2)}};
  return t;
}

static Big make_big(long long seed) {
  Big b;
  b.a = seed;
  b.b = seed * seed;
  b.c = b.b * seed;
  b.d = b.a + b.b + b.c;
  return b;
}

static Big twice(Big b) {
  Big r = make_big(0);
  r.a = b.a * 2; r.b = b.b * 2; r.c = b.c * 2; r.d = b.d * 2;
  return r;
}

int main(void) {
  DivResult d = divmod(47, 5);
  printf("q=%d r=%d\n", d.q, d.r);
  printf("direct member: %d\n", divmod(100, 7).r);
  Complex z = {1, 1};
  Complex p = {1, 0};
  for (int i = 0; i < 8; i++) p = cmul(p, z);
  printf("(1+i)^8 = %.1f + %.1fi\n", p.re, p.im);
  Tiny t = make_tiny('x');
  printf("tiny=%c%c%c\n", t.bytes[0], t.bytes[1], t.bytes[2]);
  Big b = twice(make_big(1000));
  printf("big=%lld %lld %lld %lld\n", b.a, b.b, b.c, b.d);
  Big arr[2];
  arr[1] = make_big(3);
  printf("arr1.d=%lld\n", arr[1].d);
  /* nested call with struct return used as argument */
  Complex q = cmul(cmul(z, z), cmul(z, (Complex){0, 1}));
  printf("q=%.1f %.1f\n", q.re, q.im);
  return d.q + d.r + (int)arr[1].d;
}
