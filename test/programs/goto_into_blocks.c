#include <stdio.h>

/* goto into the body of an if, an else, a nested block */
static int into_if(int x) {
  int r = 0;
  if (x > 5) goto inside_else;
  if (x > 2) {
    r += 10;
  inside_then:
    r += 1;
    if (r > 100) return r;
  } else {
    r += 20;
  inside_else:
    r += 2;
    if (x == 7) goto inside_then;
  }
  return r + x;
}

/* goto forward into a loop body, and backward into it from after the loop */
static int into_loop(int n) {
  int i = 0, sum = 0, again = 2;
  goto middle;
  for (i = 0; i < n; i++) {
    sum += i * 3;
  middle:
    sum += 1;
  }
  if (again-- > 0) {
    i = n - 2;
    goto middle;
  }
  return sum * 100 + i;
}

/* jumping over declarations with initializers: the object exists, the initializer is skipped */
static int over_decls(int k) {
  int out = 0;
  if (k) goto later;
  {
    int a = 5;
    out += a;
  later:;
    int b = 7;
    out += b;
    {
      int c;
      c = out * 2;
      out = c;
    }
  }
  return out;
}

/* out of deeply nested loops and switches, in both directions */
static int out_of(int n) {
  int hits = 0, round = 0;
top:
  round++;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      switch ((i * j + round) % 5) {
        case 0:
          hits++;
          if (hits % 7 == 0) goto next_row;
          break;
        case 3:
          if (round < 3 && i == n - 1 && j == n - 1) goto top;
          hits += 2;
          break;
        default:
          if (hits > 1000) goto done;
      }
    }
  next_row:;
  }
  if (round < 4) goto top;
done:
  return hits * 10 + round;
}

/* into a do-while and a while body */
static int into_do(int n) {
  int s = 0;
  if (n & 1) goto in_do;
  do {
    s += 3;
  in_do:
    s *= 2;
    s %= 1000;
  } while (--n > 0);
  int w = 0;
  goto in_while;
  while (w < 10) {
    s += w;
  in_while:
    w += 3;
  }
  return s + w;
}

int main(void) {
  for (int x = 0; x < 10; x++) printf("into_if(%d) = %d\n", x, into_if(x));
  for (int n = 0; n < 6; n++) printf("into_loop(%d) = %d\n", n, into_loop(n));
  printf("over_decls: %d %d\n", over_decls(0), over_decls(1) == 0 ? -1 : 1);
  for (int n = 1; n < 6; n++) printf("out_of(%d) = %d\n", n, out_of(n));
  for (int n = 1; n < 8; n++) printf("into_do(%d) = %d\n", n, into_do(n));
  return 0;
}
