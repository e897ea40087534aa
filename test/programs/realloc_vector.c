#include <stdio.h>
#include <stdlib.h>

typedef struct { int *data; int len, cap; int grows; } Vec;

static void push(Vec *v, int x) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 4;
    v->data = realloc(v->data, v->cap * sizeof(int));
    v->grows++;
  }
  v->data[v->len++] = x;
}

int main(void) {
  Vec v = {0, 0, 0, 0};
  for (int i = 0; i < 10000; i++) push(&v, i * i % 1000);
  long long s = 0;
  for (int i = 0; i < v.len; i++) s += v.data[i];
  printf("len=%d cap=%d grows=%d sum=%lld\n", v.len, v.cap, v.grows, s);
  /* shrink keeps contents */
  v.data = realloc(v.data, 10 * sizeof(int));
  v.cap = v.len = 10;
  for (int i = 0; i < 10; i++) printf("%d ", v.data[i]);
  printf("\n");
  free(v.data);
  /* realloc(NULL, n) behaves like malloc */
  char *s2 = realloc(NULL, 6);
  for (int i = 0; i < 5; i++) s2[i] = (char)('a' + i);
  s2[5] = 0;
  s2 = realloc(s2, 100);
  printf("%s\n", s2);
  free(s2);
  /* growing a string */
  char *str = NULL;
  int slen = 0;
  for (int i = 0; i < 26; i++) {
    str = realloc(str, slen + 2);
    str[slen++] = (char)('A' + i);
    str[slen] = 0;
  }
  printf("%s\n", str);
  free(str);
  return v.grows;
}
