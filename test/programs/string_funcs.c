#include <stdio.h>
#include <string.h>

static int sign(int v) { return (v > 0) - (v < 0); }

int main(void) {
  char buf[64];
  strcpy(buf, "Hello");
  strcat(buf, ", ");
  strcat(buf, "World");
  printf("%s len=%u\n", buf, (unsigned)strlen(buf));
  printf("strlen(\"\")=%u\n", (unsigned)strlen(""));
  const char *pairs[][2] = {{"abc", "abd"}, {"abc", "abc"}, {"b", "abc"}, {"", "a"}, {"abc", "ab"},
                            {"\x80", "\x7f"}};
  for (int i = 0; i < 6; i++)
    printf("strcmp=%d strncmp2=%d\n", sign(strcmp(pairs[i][0], pairs[i][1])),
           sign(strncmp(pairs[i][0], pairs[i][1], 2)));
  char dst[10];
  memset(dst, 'X', sizeof dst);
  strncpy(dst, "hi", 5); /* pads with zeros up to 5 */
  for (int i = 0; i < 10; i++) printf("%d ", dst[i]);
  printf("\n");
  strncpy(dst, "abcdefghij", 4); /* no terminator added */
  printf("%c%c%c%c%c\n", dst[0], dst[1], dst[2], dst[3], dst[4] == 0 ? '0' : dst[4]);
  const char *s = "the quick brown fox";
  const char *q = strchr(s, 'q');
  const char *o = strrchr(s, 'o');
  printf("strchr q at %d, strrchr o at %d\n", (int)(q - s), (int)(o - s));
  printf("strchr z null=%d strchr nul at %d\n", strchr(s, 'z') == NULL, (int)(strchr(s, '\0') - s));
  /* tokenizing by hand with strchr */
  const char *p = s;
  int words = 0;
  while (p) {
    const char *sp = strchr(p, ' ');
    int len = sp ? (int)(sp - p) : (int)strlen(p);
    printf("word[%d]=%.*s\n", words++, len, p);
    p = sp ? sp + 1 : NULL;
  }
  char *ret = strcpy(buf, "ret");
  printf("strcpy returns dst: %d\n", ret == buf);
  return words + (int)strlen(buf);
}
