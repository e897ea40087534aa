#include <stdio.h>

#define CAP 1024

typedef struct { int prio; int id; } Job;
typedef struct { Job heap[CAP]; int n; } PQ;

static int less(Job a, Job b) { return a.prio < b.prio || (a.prio == b.prio && a.id < b.id); }

static void pq_push(PQ *q, Job j) {
  int i = q->n++;
  q->heap[i] = j;
  while (i > 0) {
    int p = (i - 1) / 2;
    if (!less(q->heap[i], q->heap[p])) break;
    Job t = q->heap[i]; q->heap[i] = q->heap[p]; q->heap[p] = t;
    i = p;
  }
}

static Job pq_pop(PQ *q) {
  Job top = q->heap[0];
  q->heap[0] = q->heap[--q->n];
  int i = 0;
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < q->n && less(q->heap[l], q->heap[m])) m = l;
    if (r < q->n && less(q->heap[r], q->heap[m])) m = r;
    if (m == i) break;
    Job t = q->heap[i]; q->heap[i] = q->heap[m]; q->heap[m] = t;
    i = m;
  }
  return top;
}

static PQ q;

int main(void) {
  unsigned s = 77;
  for (int i = 0; i < 500; i++) {
    s = s * 69069u + 1;
    pq_push(&q, (Job){(int)(s >> 24) % 50, i});
  }
  int prev_p = -1, prev_id = -1, ok = 1;
  long checksum = 0;
  int popped = 0;
  while (q.n > 0) {
    Job j = pq_pop(&q);
    if (j.prio < prev_p || (j.prio == prev_p && j.id < prev_id)) ok = 0;
    prev_p = j.prio;
    prev_id = j.id;
    checksum = checksum * 7 + j.id;
    checksum %= 1000003;
    if (popped < 8) printf("job %d prio %d\n", j.id, j.prio);
    popped++;
    /* occasionally schedule follow-up work */
    if (popped % 50 == 0 && popped < 400) pq_push(&q, (Job){j.prio + 1, 1000 + popped});
  }
  printf("popped=%d ok=%d checksum=%ld\n", popped, ok, checksum);
  return ok;
}
