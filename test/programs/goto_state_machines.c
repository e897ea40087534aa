#include <stdio.h>

/* A tokenizer as a goto state machine: states jump into each other's loops (irreducible). */
static void tokens(const char *s) {
  int nums = 0, words = 0, other = 0, value = 0;
  const char *p = s;
start:
  if (*p == 0) goto end;
  if (*p >= '0' && *p <= '9') { value = 0; goto in_number; }
  if ((*p >= 'a' && *p <= 'z') || *p == '_') goto in_word;
  other++;
  p++;
  goto start;
  while (1) {
    p++;
    if (*p < '0' || *p > '9') { nums++; printf("num %d\n", value); goto start; }
  in_number:
    value = value * 10 + (*p - '0');
  }
  for (;;) {
  in_word:
    words++;
    while ((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9')) p++;
    if (*p == '+') { p++; goto in_word; }
    goto start;
  }
end:
  printf("nums %d words %d other %d\n", nums, words, other);
}

/* Two loops entered at each other's middle: a cycle with two entries. */
static unsigned twisted(unsigned x, int n) {
  unsigned h = 2166136261u;
  if (x & 1) goto b;
a:
  h = (h ^ x) * 16777619u;
  x = x * 1103515245u + 12345u;
  if (--n <= 0) return h;
b:
  h ^= h >> 13;
  x ^= x << 7;
  if (x % 3 == 0) goto a;
  if (--n <= 0) return h + 1;
  if (x % 5 == 0) goto b;
  goto a;
}

/* A switch-driven machine whose cases sit in loops, ifs and blocks: re-entered each step. */
static int machine(int input) {
  int state = 0, acc = 0, steps = 0;
  while (steps++ < 40) {
    switch (state) {
      case 0:
        acc += input;
        for (int i = 0; i < 3; i++) {
          acc ^= i;
          if (acc & 8) {
            case 1:
              acc += 5;
              state = 2;
              break;
          }
          state = (acc & 1) ? 3 : 1;
        }
        continue;
      case 2:
        do {
          acc -= 3;
          case 3:
            acc *= 3;
            acc %= 977;
        } while (acc % 4 == 1);
        state = (acc % 3) ? 0 : 4;
        break;
      default:
        if (acc > 500) {
          {
            case 5:
              return acc + steps;
          }
        }
        state = acc % 6;
    }
  }
  return acc * 1000 + state;
}

/* Computed cases in a do/while: the switch picks the entry point of the loop body. */
static int unrolled_sum(const int *a, int n) {
  int s = 0, i = 0;
  if (n <= 0) return 0;
  int rounds = (n + 3) / 4;
  switch (n & 3) {
    do {
      case 0: s += a[i++];
      case 3: s += a[i++] * 2;
      case 2: s += a[i++] * 3;
      case 1: s += a[i++] * 4;
    } while (--rounds > 0);
  }
  return s;
}

int main(void) {
  tokens("abc 123+x_1+y 45 6;; zz+ 7");
  tokens("");
  tokens("99");
  for (unsigned x = 0; x < 6; x++) printf("twisted(%u) = %u\n", x, twisted(x, 50 + (int)x));
  for (int in = 0; in < 12; in++) printf("machine(%d) = %d\n", in, machine(in));
  int a[23];
  for (int i = 0; i < 23; i++) a[i] = i * i - 7;
  for (int n = 0; n <= 23; n++) printf("unrolled_sum(%d) = %d\n", n, unrolled_sum(a, n));
  return 0;
}
