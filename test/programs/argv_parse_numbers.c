#include <stdio.h>

static int parse_int(const char *s, int *out) {
  int sign = 1, v = 0, digits = 0;
  if (*s == '-') { sign = -1; s++; }
  else if (*s == '+') s++;
  while (*s >= '0' && *s <= '9') { v = v * 10 + (*s++ - '0'); digits++; }
  if (*s || !digits) return 0;
  *out = sign * v;
  return 1;
}

int main(int argc, char *argv[]) {
  int sum = 0, numbers = 0, words = 0;
  for (int i = 1; i < argc; i++) {
    int v;
    if (parse_int(argv[i], &v)) { numbers++; sum += v; printf("number %d\n", v); }
    else { words++; printf("word %s (first char %c)\n", argv[i], argv[i][0]); }
  }
  printf("numbers=%d words=%d sum=%d\n", numbers, words, sum);
  return sum;
}
