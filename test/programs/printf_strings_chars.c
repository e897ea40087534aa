#include <stdio.h>

int main(void) {
  const char *words[] = {"alpha", "b", "", "gamma delta", "epsilon"};
  for (int i = 0; i < 5; i++) printf("|%s|%8s|%-8s|%.3s|%8.2s|\n", words[i], words[i], words[i], words[i], words[i]);
  char buf[6] = {'h', 'e', 'l', 'l', 'o', 'X'};
  printf("%.5s\n", buf); /* precision limits read */
  for (char c = 'a'; c <= 'e'; c++) printf("%c", c);
  printf("\n%c|%3c|%-3c|\n", 'Z', 'Y', 'X');
  printf("%s %s %s\n", "multiple", "string", "args");
  printf("%%d literal, %%s literal\n");
  char line[32];
  for (int i = 0; i < 31; i++) line[i] = (char)('A' + i % 26);
  line[31] = 0;
  printf("%s\n", line);
  return 0;
}
