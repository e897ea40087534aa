#include <stdio.h>
#include <string.h>

static size_t my_strlen(const char *s) {
  const char *p = s;
  while (*p) p++;
  return (size_t)(p - s);
}

static void upcase(char *s) {
  for (; *s; s++)
    if (*s >= 'a' && *s <= 'z') *s = (char)(*s - 32);
}

static const int *find_max(const int *a, int n) {
  const int *best = a;
  for (int i = 1; i < n; i++)
    if (a[i] > *best) best = &a[i];
  return best;
}

int main(void) {
  char buf[32];
  strcpy(buf, "mixed Case text");
  printf("len=%u\n", (unsigned)my_strlen(buf));
  upcase(buf);
  printf("%s\n", buf);
  const int data[] = {3, 9, 2, 9, 7};
  const int *m = find_max(data, 5);
  printf("max=%d at %d\n", *m, (int)(m - data));
  int v = 10;
  const int *pc = &v; /* pointer to const */
  int *const cp = &v;  /* const pointer */
  *cp += 5;
  printf("v=%d via pc=%d\n", v, *pc);
  const char *const names[] = {"a", "bb", "ccc"};
  size_t total = 0;
  for (int i = 0; i < 3; i++) total += my_strlen(names[i]);
  printf("total=%u\n", (unsigned)total);
  return (int)total + *m;
}
