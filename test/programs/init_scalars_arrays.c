#include <stdio.h>

int g_int = 42;
double g_dbl = -1.5;
char g_char = 'g';
int g_arr[5] = {1, 2, 3};
int g_zero_arr[4];
long long g_ll = 0x123456789LL;
unsigned g_expr = (1u << 31) | 5;
int g_sized[] = {9, 8, 7, 6};
float g_farr[3] = {1.5f, 2.5f};
const char *g_strs[3] = {"a", "b"};

int main(void) {
  int a = 5, b = a * 2, c = b + a;
  printf("a=%d b=%d c=%d\n", a, b, c);
  int arr[6] = {10, 20};
  int arr2[] = {1, 2, 3, 4, 5, 6, 7};
  double darr[3] = {0.5};
  printf("arr=%d %d %d %d %d %d\n", arr[0], arr[1], arr[2], arr[3], arr[4], arr[5]);
  printf("arr2 n=%d last=%d\n", (int)(sizeof arr2 / sizeof *arr2), arr2[6]);
  printf("darr=%f %f %f\n", darr[0], darr[1], darr[2]);
  printf("g: %d %.1f %c %lld %u\n", g_int, g_dbl, g_char, g_ll, g_expr);
  printf("g_arr=%d %d %d %d %d\n", g_arr[0], g_arr[1], g_arr[2], g_arr[3], g_arr[4]);
  int z = 0;
  for (int i = 0; i < 4; i++) z += g_zero_arr[i];
  printf("zero sum=%d sized n=%d farr=%g %g %g\n", z, (int)(sizeof g_sized / sizeof g_sized[0]), g_farr[0], g_farr[1],
         g_farr[2]);
  printf("strs: %s %s %d\n", g_strs[0], g_strs[1], g_strs[2] == 0);
  int local_zero[10] = {0};
  int nz = 0;
  for (int i = 0; i < 10; i++) nz += local_zero[i] != 0;
  printf("nz=%d\n", nz);
  char chars[5] = {'h', 'i'};
  printf("chars=%s len ok=%d\n", chars, chars[2] == 0);
  int expr_init[3] = {a + 1, a * a, c - b};
  printf("expr_init=%d %d %d\n", expr_init[0], expr_init[1], expr_init[2]);
  short sh = 70000 - 70000 + 123;
  unsigned char uc = 0x1ff & 0xff;
  printf("sh=%d uc=%d\n", sh, uc);
  return arr2[6] + g_arr[2];
}
