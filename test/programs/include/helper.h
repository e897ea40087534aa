#ifndef HELPER_H
#define HELPER_H

#define HELPER_VERSION 2
#define HELPER_SQUARE(x) ((x) * (x))

typedef struct {
  int count;
  int total;
} Tally;

static inline void tally_add(Tally *t, int v) {
  t->count++;
  t->total += v;
}

static int helper_scale(int v) { return v * HELPER_VERSION; }

#endif
