#include <stdio.h>

int main(void) {
  for (int w = 0; w <= 8; w += 2) printf("[%*d]", w, 42);
  printf("\n");
  for (int w = -6; w <= 0; w += 3) printf("[%*d]", w, 42);
  printf("\n");
  for (int p = 0; p <= 6; p += 2) printf("[%.*f]", p, 3.14159265);
  printf("\n");
  for (int p = 0; p <= 4; p++) printf("[%.*s]", p, "abcdef");
  printf("\n");
  printf("[%*.*f]\n", 10, 3, -2.5);
  printf("[%-*.*e]\n", 14, 2, 12345.678);
  printf("[%.*d]\n", 5, 42);
  printf("[%.*f]\n", -1, 1.5); /* negative precision = omitted */
  printf("[%*s|%-*s]\n", 6, "ab", 6, "cd");
  const char *names[] = {"x", "longer", "mid"};
  int width = 0;
  for (int i = 0; i < 3; i++) {
    int len = 0;
    while (names[i][len]) len++;
    if (len > width) width = len;
  }
  for (int i = 0; i < 3; i++) printf("%*s: %d\n", width, names[i], i);
  return width;
}
