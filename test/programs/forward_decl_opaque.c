#include <stdio.h>
#include <stdlib.h>

/* opaque handle pattern: struct declared before being defined */
struct Counter;
typedef struct Counter Counter;
Counter *counter_new(int start);
void counter_add(Counter *c, int n);
int counter_get(const Counter *c);
void counter_free(Counter *c);

struct List;
struct Item { int v; struct List *owner; };
struct List { struct Item items[4]; int n; };

int main(void) {
  Counter *c = counter_new(10);
  for (int i = 0; i < 5; i++) counter_add(c, i);
  printf("counter=%d\n", counter_get(c));
  struct List l = {{{0}}, 0};
  for (int i = 0; i < 4; i++) {
    l.items[i].v = i * i;
    l.items[i].owner = &l;
    l.n++;
  }
  printf("owner n via item=%d last=%d\n", l.items[2].owner->n, l.items[3].owner->items[3].v);
  int r = counter_get(c);
  counter_free(c);
  return r;
}

struct Counter { int value; int adds; };

Counter *counter_new(int start) {
  Counter *c = malloc(sizeof *c);
  c->value = start;
  c->adds = 0;
  return c;
}
void counter_add(Counter *c, int n) { c->value += n; c->adds++; }
int counter_get(const Counter *c) { return c->value * 100 + c->adds; }
void counter_free(Counter *c) { free(c); }
