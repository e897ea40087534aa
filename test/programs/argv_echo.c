#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  /* argv[0] is host dependent: never print it */
  printf("argc=%d\n", argc);
  int total = 0;
  for (int i = 1; i < argc; i++) {
    printf("argv[%d]=\"%s\" len=%d\n", i, argv[i], (int)strlen(argv[i]));
    total += (int)strlen(argv[i]);
  }
  printf("argv[argc] is null: %d\n", argv[argc] == NULL);
  return argc * 10 + total;
}
