#include <stdio.h>

enum Color { RED, GREEN, BLUE, COLOR_COUNT };
enum Flags { F_NONE = 0, F_READ = 1 << 0, F_WRITE = 1 << 1, F_EXEC = 1 << 2, F_ALL = F_READ | F_WRITE | F_EXEC };
enum Neg { N_MINUS = -5, N_NEXT, N_ZERO = 0, N_AFTER };
typedef enum { SMALL = 1, MEDIUM = 10, LARGE = 100 } Size;
enum { ANON_A = 7, ANON_B = ANON_A * 2 };

static const char *color_name(enum Color c) {
  static const char *names[COLOR_COUNT] = {"red", "green", "blue"};
  return c < COLOR_COUNT ? names[c] : "?";
}

int main(void) {
  for (enum Color c = RED; c < COLOR_COUNT; c++) printf("%d=%s\n", c, color_name(c));
  printf("F_ALL=%d\n", F_ALL);
  int perms = F_READ | F_EXEC;
  printf("read=%d write=%d exec=%d\n", !!(perms & F_READ), !!(perms & F_WRITE), !!(perms & F_EXEC));
  printf("N: %d %d %d %d\n", N_MINUS, N_NEXT, N_ZERO, N_AFTER);
  Size s = MEDIUM;
  printf("size=%d sizeof=%d\n", s, (int)sizeof s);
  printf("anon: %d %d\n", ANON_A, ANON_B);
  enum Color arr[ANON_A];
  for (int i = 0; i < ANON_A; i++) arr[i] = (enum Color)(i % COLOR_COUNT);
  int sum = 0;
  for (int i = 0; i < ANON_A; i++) sum += arr[i];
  printf("sum=%d\n", sum);
  int as_int = BLUE + 10;
  printf("as_int=%d cmp=%d\n", as_int, N_MINUS < RED);
  return sum + F_ALL;
}
