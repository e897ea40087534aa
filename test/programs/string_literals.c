#include <stdio.h>
#include <string.h>

static const char *greeting = "hello, " "world";
static char buffer[] = "mutable" " " "copy";
static const char *table[] = {"zero", "one", "two", "three", ""};

int main(void) {
  printf("%s (%d)\n", greeting, (int)strlen(greeting));
  buffer[0] = 'M';
  printf("%s sizeof=%d\n", buffer, (int)sizeof buffer);
  for (int i = 0; i < 5; i++) printf("[%s]", table[i]);
  printf("\n");
  printf("%c%c\n", "abc"[1], *("xyz" + 2));
  const char *multi = "line1\n"
                      "line2\n"
                      "line3";
  puts(multi);
  char arr[10] = "hi";
  int zeros = 0;
  for (int i = 0; i < 10; i++) zeros += arr[i] == 0;
  printf("zeros=%d\n", zeros);
  char exact[3] = "abc"; /* no terminator, allowed in C */
  printf("%c%c%c\n", exact[0], exact[1], exact[2]);
  printf("sizeof literal=%d strlen=%d\n", (int)sizeof("split" "string"), (int)strlen("split" "string"));
  const char *same1 = "dup";
  printf("%s %d\n", same1, (int)strlen(same1));
  return (int)strlen(greeting);
}
