#include <stdio.h>

static int find(const int *a, int n, int v) {
  for (int i = 0; i < n; i++)
    if (a[i] == v) return i;
  return -1;
}

static const char *grade(int score) {
  if (score < 0 || score > 100) return "invalid";
  if (score >= 90) return "A";
  if (score >= 80) return "B";
  if (score >= 70) return "C";
  return "F";
}

static void maybe_print(int v) {
  if (v < 0) return;
  printf("value %d\n", v);
}

static int nested_return(int n) {
  while (1) {
    for (int i = 0;; i++) {
      if (i * i >= n) return i;
    }
  }
}

int main(void) {
  int data[] = {5, 8, 13, 21, 34};
  printf("%d %d %d\n", find(data, 5, 13), find(data, 5, 5), find(data, 5, 99));
  int scores[] = {95, 85, 75, 10, 101, -1};
  for (int i = 0; i < 6; i++) printf("%d=%s ", scores[i], grade(scores[i]));
  printf("\n");
  maybe_print(3);
  maybe_print(-3);
  printf("isqrt-ceil(50)=%d\n", nested_return(50));
  return find(data, 5, 34) + nested_return(1000);
}
