#include <stdio.h>
#include <string.h>

/* arbitrary precision with base 1e9 limbs held in long long accumulators */
#define BASE 1000000000LL
#define MAXL 400

typedef struct { int n; long long d[MAXL]; } Big;

static void big_set(Big *b, long long v) { b->n = 1; b->d[0] = v; }

static void big_mul_small(Big *b, long long m) {
  long long carry = 0;
  for (int i = 0; i < b->n; i++) {
    long long cur = b->d[i] * m + carry;
    b->d[i] = cur % BASE;
    carry = cur / BASE;
  }
  while (carry) { b->d[b->n++] = carry % BASE; carry /= BASE; }
}

static void big_add(Big *r, const Big *a, const Big *b) {
  long long carry = 0;
  int n = a->n > b->n ? a->n : b->n;
  for (int i = 0; i < n; i++) {
    long long s = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
    r->d[i] = s % BASE;
    carry = s / BASE;
  }
  r->n = n;
  if (carry) r->d[r->n++] = carry;
}

static void big_print(const Big *b) {
  printf("%lld", b->d[b->n - 1]);
  for (int i = b->n - 2; i >= 0; i--) printf("%09lld", b->d[i]);
  printf("\n");
}

static int digit_sum(const Big *b) {
  int s = 0;
  for (int i = 0; i < b->n; i++)
    for (long long v = b->d[i]; v; v /= 10) s += (int)(v % 10);
  return s;
}

static Big f, x, y, z;

int main(void) {
  big_set(&f, 1);
  for (int i = 2; i <= 100; i++) big_mul_small(&f, i);
  printf("100! = ");
  big_print(&f);
  printf("digit sum = %d limbs=%d\n", digit_sum(&f), f.n);
  big_set(&x, 0);
  big_set(&y, 1);
  for (int i = 0; i < 500; i++) {
    big_add(&z, &x, &y);
    x = y;
    y = z;
  }
  printf("fib(500) = ");
  big_print(&x);
  big_set(&z, 1);
  for (int i = 0; i < 300; i++) big_mul_small(&z, 2);
  printf("2^300 = ");
  big_print(&z);
  return digit_sum(&f) % 256;
}
