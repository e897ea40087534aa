#include <stdio.h>
#include <stddef.h>

struct Node { int v; struct Node *next; };

static int length(const struct Node *n) {
  int len = 0;
  for (; n != NULL; n = n->next) len++;
  return len;
}

static const char *safe(const char *s) { return s ? s : "(null)"; }

int main(void) {
  struct Node c = {3, NULL}, b = {2, &c}, a = {1, &b};
  printf("len=%d len(null)=%d\n", length(&a), length(NULL));
  const char *strs[] = {"x", NULL, "z"};
  for (int i = 0; i < 3; i++) printf("%s ", safe(strs[i]));
  printf("\n");
  int *p = 0;
  printf("p==NULL %d !p %d p==0 %d\n", p == NULL, !p, p == 0);
  void *vp = NULL;
  int *ip = vp;
  printf("ip null=%d\n", ip == NULL);
  int x = 5;
  p = &x;
  printf("p!=NULL %d\n", p != NULL);
  printf("sizeof NULL ok=%d\n", (int)sizeof(NULL) == (int)sizeof(void *));
  int (*fp)(void) = NULL;
  printf("fp null=%d\n", fp == NULL);
  return length(&a);
}
