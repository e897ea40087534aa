#include <stdio.h>

typedef struct {
  void (*on_start)(void *ctx);
  int (*on_item)(void *ctx, int item);
  void (*on_end)(void *ctx, int total);
  void *ctx;
} Visitor;

typedef struct { int count; int sum; int max; } Stats;

static void st_start(void *c) { Stats *s = c; s->count = s->sum = 0; s->max = -1; printf("start\n"); }
static int st_item(void *c, int item) {
  Stats *s = c;
  s->count++;
  s->sum += item;
  if (item > s->max) s->max = item;
  return item < 50; /* stop on large */
}
static void st_end(void *c, int total) { Stats *s = c; printf("end total=%d count=%d max=%d\n", total, s->count, s->max); }

static int walk(const int *items, int n, const Visitor *v) {
  if (v->on_start) v->on_start(v->ctx);
  int total = 0;
  for (int i = 0; i < n; i++) {
    total += items[i];
    if (v->on_item && !v->on_item(v->ctx, items[i])) break;
  }
  if (v->on_end) v->on_end(v->ctx, total);
  return total;
}

int main(void) {
  int items[] = {3, 14, 15, 92, 65, 35};
  Stats s;
  Visitor v = {st_start, st_item, st_end, &s};
  int t1 = walk(items, 6, &v);
  Visitor quiet = {0, 0, 0, 0};
  int t2 = walk(items, 6, &quiet);
  printf("t1=%d t2=%d sum=%d\n", t1, t2, s.sum);
  return t1 % 100;
}
