#include <stdio.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static long long fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
static int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }
static int ackermann(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}
static void hanoi(int n, int from, int to, int via, int *moves) {
  if (n == 0) return;
  hanoi(n - 1, from, via, to, moves);
  (*moves)++;
  if (n >= 9) printf("move disk %d from %d to %d\n", n, from, to);
  hanoi(n - 1, via, to, from, moves);
}
static int sum_digits(unsigned n) { return n ? (int)(n % 10) + sum_digits(n / 10) : 0; }
static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }

int main(void) {
  for (int i = 0; i <= 25; i += 5) printf("fib(%d)=%d\n", i, fib(i));
  printf("fact(20)=%lld\n", fact(20));
  printf("gcd(1071,462)=%d gcd(17,5)=%d\n", gcd(1071, 462), gcd(17, 5));
  printf("ack(2,3)=%d ack(3,3)=%d\n", ackermann(2, 3), ackermann(3, 3));
  int moves = 0;
  hanoi(10, 1, 3, 2, &moves);
  printf("hanoi moves=%d\n", moves);
  printf("sum_digits=%d\n", sum_digits(4294967295u));
  printf("depth=%d\n", depth(10000));
  return fib(12) % 256;
}
