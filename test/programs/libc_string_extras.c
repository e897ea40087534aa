#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(void) {
  char buf[64] = "hello";
  strncat(buf, ", world!!!", 7);
  printf("%s\n", buf);
  strncat(buf, "", 3);
  printf("%s %d\n", buf, (int)strlen(buf));
  const char *s = "abc\0def";
  printf("%d %d\n", memchr(s, 'c', 3) ? (int)((const char *)memchr(s, 'c', 3) - s) : -1, memchr(s, 'd', 3) != NULL);
  printf("%d\n", (int)((const char *)memchr(s, 'e', 7) - s));
  printf("%zu %zu %zu %zu\n", strspn("aabbcx", "ab"), strspn("xyz", "ab"), strcspn("hello world", " o"), strcspn("abc", ""));
  printf("%s %d\n", strpbrk("key=value;x", "=;"), strpbrk("abc", "xyz") == NULL);
  char text[] = "  one,two;;three , four  ";
  for (char *t = strtok(text, " ,;"); t; t = strtok(NULL, " ,;")) printf("[%s]", t);
  printf(" %d\n", strtok(NULL, ",") == NULL);
  char *d = strdup("duplicate me");
  char *n = strndup("truncate here", 8);
  char *n2 = strndup("ab", 10);
  printf("%s|%s|%s\n", d, n, n2);
  free(d); free(n); free(n2);
  int arr[] = {1, 3, 5, 7, 9, 11, 13};
  for (int k = 0; k <= 14; k++) {
    int *p = bsearch(&k, arr, 7, sizeof(int), cmp_int);
    printf("%d", p ? (int)(p - arr) : -1);
  }
  printf("\n");
  for (int c = -1; c < 256; c++)
    printf("%d%d%d%d%d%d", !!isprint(c), !!isgraph(c), !!ispunct(c), !!iscntrl(c), !!isblank(c), !!isxdigit(c));
  printf("\n%d %d %d %d %d\n", isprint('a'), isgraph('!'), ispunct('!'), iscntrl('\n'), isblank('\t'));
  return 0;
}
