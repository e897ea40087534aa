/* While loops whose index or pointer steps inside the body (counted for fuel on entry):
 * pointer distances, wider elements, steps before later reads, continue, strided tails. */
#include <stdint.h>
#include <stdio.h>

static uint8_t buf[100];
static int32_t ints[40];

static unsigned sum_rgb(const uint8_t *p, const uint8_t *end) {
  unsigned s = 0;
  while (end - p >= 12) {
    s += p[0] + p[3] * 2u + p[11];
    p += 12;
    s ^= (unsigned)(end - p);
  }
  while (p < end) {
    s += *p;
    p += 3;
  }
  return s;
}

static int wide(const int32_t *a, const int32_t *b) {
  int n = 0;
  while (b - a > 2) {
    n = n * 3 + *a;
    a += 3;
  }
  while ((b - a) / 2 >= 1) {
    n += *a;
    a += 2;
  }
  return n;
}

static int with_continue(int i, int n) {
  int c = 0;
  while (i < n) {
    i++;
    if (i % 3 == 0) continue;
    c += i;
  }
  return c;
}

static int down(int i) {
  int c = 0;
  while (i > 0) {
    c += i;
    i -= 7;
    c ^= i;
  }
  return c;
}

int main(void) {
  for (int i = 0; i < 100; i++) buf[i] = (uint8_t)(i * 37 + 11);
  for (int i = 0; i < 40; i++) ints[i] = i * i - 20;
  for (int len = 0; len <= 40; len += 7) {
    printf("%d: %u %d %d %d\n", len, sum_rgb(buf, buf + len), wide(ints, ints + len),
           with_continue(len - 5, len), down(len));
  }
  return 0;
}
