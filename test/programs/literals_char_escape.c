#include <stdio.h>

int main(void) {
  char escapes[] = {'\n', '\t', '\r', '\\', '\'', '\"', '\?', '\a', '\b', '\f', '\v', '\0'};
  for (int i = 0; i < (int)sizeof escapes; i++) printf("%d ", escapes[i]);
  printf("\n");
  printf("%d %d %d %d\n", '\x41', '\101', '\x7f', '\177');
  printf("%d %d\n", '\xff', '\377'); /* char is signed: -1 */
  printf("%d %d\n", 'A', 'z' - 'a');
  const char *s = "tab\there\nquote\"back\\slash\x21\101";
  puts(s);
  printf("len=%d\n", (int)sizeof("a\0b\0"));
  const char *hex = "\x48\x49";
  printf("%s\n", hex);
  const char *oct = "\110\111\0\112";
  printf("%s %d\n", oct, oct[3]);
  printf("%c%c%c\n", 'o', 'k', '!');
  int total = 0;
  for (const char *p = s; *p; p++) total += (unsigned char)*p;
  return total & 0xff;
}
