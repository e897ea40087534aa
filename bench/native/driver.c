/*
 * Native baseline driver: links one kernel file (bench/kernels/) and times its run() in-process, so
 * process start-up and setup are not counted. Prints one JSON line:
 *   {"checksum": C, "samples_ns": [...]}
 * usage: driver N WARMUP_MS BUDGET_MS MIN_RUNS MAX_RUNS
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int setup(int n);
uint32_t run(int n);

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s N WARMUP_MS BUDGET_MS MIN_RUNS MAX_RUNS\n", argv[0]);
    return 2;
  }
  int n = atoi(argv[1]);
  double warmup_ns = atof(argv[2]) * 1e6;
  double budget_ns = atof(argv[3]) * 1e6;
  int min_runs = atoi(argv[4]);
  int max_runs = atoi(argv[5]);
  if (setup(n) != 0) {
    fprintf(stderr, "setup(%d) failed\n", n);
    return 3;
  }
  uint32_t expected = run(n);
  double start = now_ns();
  while (now_ns() - start < warmup_ns) {
    if (run(n) != expected) {
      fprintf(stderr, "run(%d) is not deterministic\n", n);
      return 4;
    }
  }
  double *samples = malloc(sizeof(double) * (size_t)max_runs);
  if (!samples) return 5;
  int count = 0;
  start = now_ns();
  while (count < max_runs && (count < min_runs || now_ns() - start < budget_ns)) {
    double t0 = now_ns();
    uint32_t got = run(n);
    samples[count++] = now_ns() - t0;
    if (got != expected) {
      fprintf(stderr, "run(%d) is not deterministic\n", n);
      return 4;
    }
  }
  printf("{\"checksum\":%u,\"samples_ns\":[", expected);
  for (int i = 0; i < count; i++) printf("%s%.0f", i ? "," : "", samples[i]);
  printf("]}\n");
  free(samples);
  return 0;
}
