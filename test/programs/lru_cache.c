#include <stdio.h>

#define CAP 4
#define KEYS 64

typedef struct Node { int key, value; struct Node *prev, *next; } Node;

static Node pool[CAP];
static int pool_used;
static Node *index_[KEYS];
static Node head = {0, 0, &head, &head}; /* sentinel: head.next is most recent */
static int hits, misses;

static void unlink_node(Node *n) { n->prev->next = n->next; n->next->prev = n->prev; }
static void push_front(Node *n) { n->next = head.next; n->prev = &head; head.next->prev = n; head.next = n; }

static int compute(int key) { return key * key + 1; }

static int get(int key) {
  Node *n = index_[key];
  if (n) {
    hits++;
    unlink_node(n);
    push_front(n);
    return n->value;
  }
  misses++;
  if (pool_used < CAP) n = &pool[pool_used++];
  else {
    n = head.prev; /* evict least recent */
    unlink_node(n);
    index_[n->key] = 0;
  }
  n->key = key;
  n->value = compute(key);
  index_[key] = n;
  push_front(n);
  return n->value;
}

int main(void) {
  int seq[] = {1, 2, 3, 1, 4, 5, 2, 1, 1, 6, 3, 3, 7, 1, 8, 2, 9, 1, 5, 5};
  long sum = 0;
  for (int i = 0; i < 20; i++) sum += get(seq[i]);
  printf("hits=%d misses=%d sum=%ld\n", hits, misses, sum);
  printf("recency:");
  for (Node *n = head.next; n != &head; n = n->next) printf(" %d", n->key);
  printf("\n");
  return hits * 10 + misses;
}
