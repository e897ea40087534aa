#include <stdio.h>

static int counter(void) {
  static int n = 0;
  return ++n;
}

static int fib_memo(int k) {
  static long long memo[64];
  static int initialized;
  if (!initialized) {
    for (int i = 0; i < 64; i++) memo[i] = -1;
    initialized = 1;
  }
  if (k < 2) return k;
  if (memo[k] >= 0) return (int)memo[k];
  int r = fib_memo(k - 1) + fib_memo(k - 2);
  memo[k] = r;
  return r;
}

static const char *next_name(void) {
  static const char *names[] = {"ann", "ben", "cid"};
  static unsigned idx = 0;
  return names[idx++ % 3];
}

static int *get_buffer(void) {
  static int buf[4] = {1, 2, 3, 4};
  return buf;
}

static unsigned rng(void) {
  static unsigned state = 2463534242u;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

int main(void) {
  for (int i = 0; i < 5; i++) printf("counter=%d\n", counter());
  printf("fib40=%d fib45=%d\n", fib_memo(40), fib_memo(45));
  for (int i = 0; i < 5; i++) printf("%s ", next_name());
  printf("\n");
  int *b = get_buffer();
  b[2] = 30;
  printf("buffer persists: %d\n", get_buffer()[2]);
  unsigned r = 0;
  for (int i = 0; i < 10; i++) r ^= rng();
  printf("rng=%u\n", r);
  {
    static int block_static = 100;
    block_static++;
    printf("block_static=%d\n", block_static);
  }
  return counter();
}
