#include <stdio.h>

extern int shared_counter;
int shared_counter = 5;
extern int later_defined(int);
static int helper(int);
static inline int sq(int x) { return x * x; }
inline static int cube(int x) { return x * sq(x); }

static int helper(int v) { return v + shared_counter; }

int later_defined(int v) { return helper(v) * 2; }

static int file_static = 3;
int tentative;
int tentative;

int main(void) {
  extern int shared_counter;
  shared_counter++;
  int r = later_defined(sq(3)) + cube(2) + file_static;
  printf("r=%d counter=%d tentative=%d\n", r, shared_counter, tentative);
  tentative = r;
  {
    extern int tentative;
    printf("block extern sees %d\n", tentative);
  }
  return r;
}
