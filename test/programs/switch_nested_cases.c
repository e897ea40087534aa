#include <stdio.h>

struct pair { int a, b; };

/* case labels inside if arms, loops and blocks; default in a nested block */
static int scattered(int x, int n) {
  int r = 0, i = 0; /* declared here: case 2 enters the loop with i defined */
  switch (x) {
    case 0:
      r = 1;
      if (n > 2) {
        case 1:
          r += 10;
          for (i = 0; i < n; i++) {
            r += i;
            if (i == 3) {
              case 2:
                r *= 2;
            }
          }
      } else {
        {
          default:
            r -= 7;
        }
        while (r < 0) {
          r += 5;
          case 3:
            r += 1;
        }
      }
      break;
    case 4:
      r = 44;
  }
  return r;
}

/* a case label followed by a label followed by a case label, and a label before the first case */
static int chained(int x) {
  int r = 0;
  if (x < 0) goto before;
  switch (x) {
    before:
      r += 100;
      x = -x;
    case 1:
    mid:
    case 2:
      r += x;
      if (r < 50) { x += 7; goto mid; }
      break;
    case 3:
      goto before;
  }
  return r;
}

/* nested switches: the inner one's cases sit in the outer one's loop */
static long long nested(long long key, int k) {
  long long acc = 1;
  switch (key) {
    case 10000000000LL:
      for (int i = 0; i < 3; i++) {
        switch (i + k) {
          case 0: acc += 1;
          case 1: acc *= 3; break;
          case 5000000:
          default:
            acc -= 2;
            continue;
        }
        acc += 100;
      }
      break;
    case -1:
      do {
        acc += 7;
        case 2:
          acc *= 2;
      } while (acc < 1000);
  }
  return acc;
}

/* goto over initialised declarations, static locals, and a record result */
static struct pair over(int x) {
  struct pair p = {1, 2};
  if (x > 3) goto skip;
  static int calls = 0;
  calls++;
  struct pair q = {x, x * x};
  p.a += q.a;
  p.b += q.b;
skip:
  p.a += calls;
  if (x == 5) {
    struct pair z = {50, 60};
    return z;
  }
  return p;
}

/* continue and break from cases inside loops inside the switch */
static int loops_in_cases(int x) {
  int s = 0;
  for (int round = 0; round < 4; round++) {
    switch ((x + round) % 4) {
      case 0:
        while (s < 20) {
          s += 3;
          if (s % 2) continue;
          case 1:
            s += 1;
            if (s > 15) break;
        }
        continue;
      case 2:
        s -= 1;
        break;
      default:
        s += 2;
    }
    s *= 2;
  }
  return s;
}

int main(void) {
  for (int x = -1; x <= 5; x++)
    for (int n = 0; n < 6; n += 2) printf("scattered(%d,%d) = %d\n", x, n, scattered(x, n));
  for (int x = -3; x <= 4; x++) printf("chained(%d) = %d\n", x, chained(x));
  long long keys[] = {10000000000LL, -1, 2, 3};
  for (int i = 0; i < 4; i++)
    for (int k = 0; k < 3; k++) printf("nested(%lld,%d) = %lld\n", keys[i], k, nested(keys[i], k));
  for (int x = 0; x < 7; x++) {
    struct pair p = over(x);
    printf("over(%d) = %d %d\n", x, p.a, p.b);
  }
  for (int x = 0; x < 5; x++) printf("loops_in_cases(%d) = %d\n", x, loops_in_cases(x));
  return 0;
}
