#include <stdio.h>

#define CAP 8 /* power of two */

typedef struct { int data[CAP]; unsigned head, tail; } Ring;

static int ring_push(Ring *r, int v) {
  if (r->head - r->tail == CAP) return 0;
  r->data[r->head++ & (CAP - 1)] = v;
  return 1;
}

static int ring_pop(Ring *r, int *v) {
  if (r->head == r->tail) return 0;
  *v = r->data[r->tail++ & (CAP - 1)];
  return 1;
}

int main(void) {
  Ring r = {{0}, 0xfffffff0u, 0xfffffff0u}; /* indices will wrap around UINT_MAX */
  int pushed = 0, popped = 0, sum = 0, rejected = 0;
  for (int round = 0; round < 20; round++) {
    for (int i = 0; i < round % 5 + 1; i++) {
      if (ring_push(&r, round * 10 + i)) pushed++;
      else rejected++;
    }
    int v;
    for (int i = 0; i < round % 3; i++)
      if (ring_pop(&r, &v)) { popped++; sum += v; }
  }
  int v;
  printf("draining:");
  while (ring_pop(&r, &v)) { printf(" %d", v); popped++; sum += v; }
  printf("\npushed=%d popped=%d rejected=%d sum=%d head=%u tail=%u\n", pushed, popped, rejected, sum, r.head, r.tail);
  return sum & 0xff;
}
