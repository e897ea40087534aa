#include <stdio.h>

/* Pike/Kernighan's tiny regex matcher: c . ^ $ * */
static int matchhere(const char *re, const char *text);

static int matchstar(int c, const char *re, const char *text) {
  do {
    if (matchhere(re, text)) return 1;
  } while (*text != '\0' && (*text++ == c || c == '.'));
  return 0;
}

static int matchhere(const char *re, const char *text) {
  if (re[0] == '\0') return 1;
  if (re[1] == '*') return matchstar(re[0], re + 2, text);
  if (re[0] == '$' && re[1] == '\0') return *text == '\0';
  if (*text != '\0' && (re[0] == '.' || re[0] == *text)) return matchhere(re + 1, text + 1);
  return 0;
}

static int match(const char *re, const char *text) {
  if (re[0] == '^') return matchhere(re + 1, text);
  do {
    if (matchhere(re, text)) return 1;
  } while (*text++ != '\0');
  return 0;
}

int main(void) {
  const char *res[] = {"abc", "^abc", "abc$", "a.c", "a*b", "^a*$", "k.*g", "^$", "x*", "ab*c$"};
  const char *texts[] = {"abc", "xabcx", "aaab", "", "kplug", "ac", "abbbc"};
  int hits = 0;
  for (int i = 0; i < 10; i++) {
    printf("%-6s:", res[i]);
    for (int j = 0; j < 7; j++) {
      int m = match(res[i], texts[j]);
      hits += m;
      printf(" %d", m);
    }
    printf("\n");
  }
  printf("hits=%d\n", hits);
  return hits;
}
