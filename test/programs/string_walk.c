#include <stdio.h>

static void reverse_in_place(char *s) {
  char *e = s;
  while (*e) e++;
  if (e == s) return;
  e--;
  while (s < e) {
    char t = *s;
    *s++ = *e;
    *e-- = t;
  }
}

static int count_char(const char *s, char c) {
  int n = 0;
  while (*s) n += *s++ == c;
  return n;
}

static int is_palindrome(const char *s) {
  const char *e = s;
  while (*e) e++;
  while (s < e) {
    e--;
    if (*s != *e) return 0;
    s++;
  }
  return 1;
}

static void trim_copy(char *dst, const char *src) {
  while (*src == ' ') src++;
  const char *end = src;
  while (*end) end++;
  while (end > src && end[-1] == ' ') end--;
  while (src < end) *dst++ = *src++;
  *dst = 0;
}

int main(void) {
  char s1[] = "hello world";
  reverse_in_place(s1);
  printf("%s\n", s1);
  char empty[] = "";
  reverse_in_place(empty);
  printf("[%s]\n", empty);
  printf("l's=%d o's=%d\n", count_char("hello world", 'l'), count_char("hello world", 'o'));
  const char *cands[] = {"racecar", "abba", "abc", "a", ""};
  int pals = 0;
  for (int i = 0; i < 5; i++) {
    int p = is_palindrome(cands[i]);
    printf("%s:%d ", cands[i], p);
    pals += p;
  }
  printf("\n");
  char out[32];
  trim_copy(out, "   padded text  ");
  printf("[%s]\n", out);
  return pals;
}
