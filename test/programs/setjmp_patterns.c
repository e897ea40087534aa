/* setjmp/longjmp: the classic patterns, differential against gcc. Only values C defines after
   a longjmp are printed: volatile locals, statics, and locals not changed since the setjmp. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf on_error;
static int depth_reached;

/* Error recovery from nested calls, each with an array on the shadow stack. */
static int parse_digit(const char *s, int depth) {
  char scratch[64];
  memset(scratch, depth, sizeof scratch);
  depth_reached = depth;
  if (*s == 0) return 0;
  if (*s < '0' || *s > '9') longjmp(on_error, (unsigned char)*s);
  return (*s - '0') + scratch[3] - depth + 10 * parse_digit(s + 1, depth + 1);
}

static void recovery(const char *input) {
  int code = setjmp(on_error);
  if (code == 0) {
    printf("parsed %s -> %d\n", input, parse_digit(input, 1));
  } else {
    printf("bad char '%c' in %s at depth %d\n", code, input, depth_reached);
  }
}

/* longjmp(env, 0) makes setjmp return 1. */
static jmp_buf zero_buf;
static void jump_zero(void) { longjmp(zero_buf, 0); }
static void zero_to_one(void) {
  int r = setjmp(zero_buf);
  if (r != 0) {
    printf("longjmp 0 -> setjmp returned %d\n", r);
    return;
  }
  jump_zero();
}

/* Repeated setjmp/longjmp in a loop, the counter volatile. */
static void repeated(void) {
  jmp_buf b;
  volatile int count = 0;
  volatile int sum = 0;
  int r = setjmp(b);
  sum += r;
  if (count < 10) {
    count++;
    longjmp(b, count * 3);
  }
  printf("repeated: count %d sum %d\n", count, sum);
}

/* setjmp in a loop condition. */
static void loop_condition(void) {
  jmp_buf b;
  volatile int laps = 0;
  while (setjmp(b) < 5) {
    laps++;
    longjmp(b, laps + 1);
  }
  printf("loop condition: %d laps\n", laps);
}

/* Several buffers: the inner longjmps to the outer and the other way round. */
static jmp_buf outer_buf, inner_buf;
static void to_outer(int v) { longjmp(outer_buf, v); }
static void multiple(void) {
  volatile int phase = 0;
  int r = setjmp(outer_buf);
  printf("outer setjmp -> %d (phase %d)\n", r, phase);
  if (phase == 0) {
    phase = 1;
    if (!setjmp(inner_buf)) {
      printf("inner set\n");
      longjmp(inner_buf, 7);
    } else {
      printf("inner caught, now to outer\n");
      to_outer(42);
    }
  }
  printf("multiple done\n");
}

/* Deep recursion with stack arrays, unwound thousands of times: the shadow stack must be
   restored each time, or it would run out. */
static jmp_buf deep_buf;
static int deep(int n, int limit) {
  int local[32];
  for (int i = 0; i < 32; i++) local[i] = n + i;
  if (n == limit) longjmp(deep_buf, local[5]);
  return deep(n + 1, limit) + local[31];
}
static void deep_unwind(void) {
  volatile long total = 0;
  volatile int round = 0;
  int r = setjmp(deep_buf);
  total += r;
  if (round < 2000) {
    round++;
    deep(0, 50 + round % 7);
  }
  printf("deep unwind: %d rounds, total %ld\n", round, total);
}

/* switch on setjmp, and the _setjmp/_longjmp aliases. */
static void switch_dispatch(void) {
  jmp_buf b;
  volatile int step = 0;
  switch (_setjmp(b)) {
  case 0:
    printf("switch: first\n");
    step++;
    _longjmp(b, 2);
  case 2:
    printf("switch: two\n");
    step++;
    longjmp(b, 3);
  default:
    printf("switch: default after %d steps\n", step);
  }
}

/* A small helper calling setjmp: it must not be inlined into its caller (it is not). */
static jmp_buf helper_buf;
static int risky(int x) {
  if (x < 0) longjmp(helper_buf, -x);
  return x * 2;
}
static int guarded(int x) {
  int code;
  if ((code = setjmp(helper_buf)) != 0) return -code;
  return risky(x);
}

/* A comparator that longjmps out of qsort; qsort must then work again. */
static jmp_buf sort_buf;
static int sort_calls;
static int cmp_abort(const void *a, const void *b) {
  if (++sort_calls == 5) longjmp(sort_buf, 1);
  return *(const int *)a - *(const int *)b;
}
static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static void sort_escape(void) {
  int v[12] = {5, 3, 9, 1, 12, 7, 2, 8, 11, 4, 10, 6};
  if (setjmp(sort_buf) == 0) {
    qsort(v, 12, sizeof v[0], cmp_abort);
    printf("sort finished?\n");
  } else {
    printf("comparator escaped after %d calls\n", sort_calls);
  }
  int w[6] = {4, 2, 6, 1, 5, 3};
  qsort(w, 6, sizeof w[0], cmp_int);
  for (int i = 0; i < 6; i++) printf("%d ", w[i]);
  printf("\n");
}

/* A setjmp in the middle of a loop body (the re-entry makes the loop irreducible), with a goto. */
static void in_loop_body(void) {
  jmp_buf b;
  volatile int i;
  volatile int jumps = 0;
  for (i = 0; i < 5; i++) {
    printf("lap %d\n", i);
    if (setjmp(b) == 0) {
      if (i % 2 == 0) longjmp(b, i + 1);
      if (i == 3) goto out;
    } else {
      jumps++;
      printf("re-entered at lap %d\n", i);
    }
  }
out:
  printf("laps done at %d, %d jumps\n", i, jumps);
}

int main(void) {
  recovery("123");
  recovery("12x4");
  recovery("9?");
  zero_to_one();
  repeated();
  loop_condition();
  multiple();
  deep_unwind();
  switch_dispatch();
  printf("guarded: %d %d\n", guarded(21), guarded(-5));
  sort_escape();
  in_loop_body();
  return 0;
}
