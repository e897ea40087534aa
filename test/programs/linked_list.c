#include <stdio.h>
#include <stdlib.h>

typedef struct Node { int val; struct Node *next; } Node;

static Node *push_front(Node *head, int v) {
  Node *n = malloc(sizeof *n);
  n->val = v;
  n->next = head;
  return n;
}

static Node *reverse(Node *h) {
  Node *prev = NULL;
  while (h) { Node *nx = h->next; h->next = prev; prev = h; h = nx; }
  return prev;
}

static Node *merge(Node *a, Node *b) {
  Node dummy, *t = &dummy;
  while (a && b) {
    if (a->val <= b->val) { t->next = a; a = a->next; }
    else { t->next = b; b = b->next; }
    t = t->next;
  }
  t->next = a ? a : b;
  return dummy.next;
}

static Node *sort(Node *h) {
  if (!h || !h->next) return h;
  Node *slow = h, *fast = h->next;
  while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
  Node *second = slow->next;
  slow->next = NULL;
  return merge(sort(h), sort(second));
}

static Node *remove_if(Node *h, int (*pred)(int)) {
  Node **pp = &h;
  while (*pp) {
    if (pred((*pp)->val)) { Node *dead = *pp; *pp = dead->next; free(dead); }
    else pp = &(*pp)->next;
  }
  return h;
}

static int is_multiple_of_3(int v) { return v % 3 == 0; }

static void print(const char *label, const Node *h) {
  printf("%s:", label);
  int n = 0;
  for (; h && n < 15; h = h->next, n++) printf(" %d", h->val);
  if (h) printf(" ...");
  printf("\n");
}

static void free_list(Node *h) {
  while (h) { Node *n = h->next; free(h); h = n; }
}

int main(void) {
  Node *list = NULL;
  for (int i = 0; i < 1000; i++) list = push_front(list, (i * 37) % 101);
  print("initial", list);
  list = reverse(list);
  print("reversed", list);
  list = sort(list);
  print("sorted", list);
  list = remove_if(list, is_multiple_of_3);
  int len = 0;
  long sum = 0;
  for (Node *p = list; p; p = p->next) { len++; sum += p->val; }
  print("filtered", list);
  printf("len=%d sum=%ld\n", len, sum);
  free_list(list);
  return len & 0xff;
}
