#include <stdio.h>
#include <string.h>

typedef struct {
  char name[16];
  int scores[4];
  double avg;
} Student;

int main(void) {
  Student a;
  memset(&a, 0, sizeof a);
  strcpy(a.name, "alice");
  for (int i = 0; i < 4; i++) a.scores[i] = 80 + i * 3;
  a.avg = 84.5;
  Student b = a; /* copy init */
  b.name[0] = 'A';
  b.scores[0] = 0;
  printf("a=%s %d %.1f\n", a.name, a.scores[0], a.avg);
  printf("b=%s %d %.1f\n", b.name, b.scores[0], b.avg);
  Student c;
  c = b; /* assignment */
  c.avg = 1.0;
  printf("c=%s %d %d %.1f\n", c.name, c.scores[0], c.scores[3], c.avg);
  Student arr[3];
  arr[0] = a;
  arr[1] = b;
  arr[2] = arr[0];
  arr[2].scores[1] = 99;
  printf("arr2=%s %d a.scores[1]=%d\n", arr[2].name, arr[2].scores[1], a.scores[1]);
  /* chained assignment */
  Student d, e;
  d = e = c;
  printf("d=%s e=%.1f\n", d.name, e.avg);
  /* struct through pointer */
  Student *p = &arr[1];
  *p = arr[2];
  printf("arr1=%s %d\n", arr[1].name, arr[1].scores[1]);
  /* struct containing a struct */
  struct Wrap { Student s; int tag; } w1 = {{"wrapped", {1, 2, 3, 4}, 2.5}, 7}, w2;
  w2 = w1;
  w2.s.scores[2] = 30;
  printf("w1=%d w2=%d %s tag=%d\n", w1.s.scores[2], w2.s.scores[2], w2.s.name, w2.tag);
  printf("memcmp a,arr0=%d\n", memcmp(&a, &arr[0], sizeof a) == 0);
  return arr[1].scores[1];
}
