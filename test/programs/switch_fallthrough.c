#include <stdio.h>

static int days_until_weekend(int day) {
  int n = 0;
  switch (day) {
    case 1: n++;
    case 2: n++;
    case 3: n++;
    case 4: n++;
    case 5: n++;
    case 6:
    case 7: break;
    default: n = -1;
  }
  return n;
}

int main(void) {
  for (int d = 0; d <= 8; d++) printf("day %d -> %d\n", d, days_until_weekend(d));
  int acc = 0;
  for (int i = 0; i < 6; i++) {
    switch (i) {
      case 0:
        acc += 1;
      case 1:
        acc += 10;
        break;
      case 2:
      case 3:
        acc += 100;
      case 4:
        acc += 1000;
    }
  }
  printf("acc=%d\n", acc);
  /* switch on char */
  const char *s = "a1 b2!";
  int letters = 0, digits = 0, other = 0;
  for (const char *p = s; *p; p++) {
    switch (*p) {
      case 'a': case 'b': case 'c': letters++; break;
      case '0': case '1': case '2': case '3': digits++; break;
      default: other++;
    }
  }
  printf("letters=%d digits=%d other=%d\n", letters, digits, other);
  return acc % 256;
}
