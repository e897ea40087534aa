#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int freed = 0;

static void release(void *p) {
  if (p) { free(p); freed++; }
}

/* classic goto-based error handling: each failure point unwinds what was acquired */
static int process(int fail_at) {
  int rc = -1;
  char *a = NULL, *b = NULL, *c = NULL;
  a = malloc(16);
  if (!a) goto out;
  if (fail_at == 1) goto out_a;
  strcpy(a, "first");
  b = malloc(32);
  if (!b) goto out_a;
  if (fail_at == 2) goto out_b;
  strcpy(b, "second");
  c = malloc(64);
  if (!c) goto out_b;
  if (fail_at == 3) goto out_c;
  strcpy(c, a);
  strcat(c, "+");
  strcat(c, b);
  printf("built: %s\n", c);
  rc = (int)strlen(c);
out_c:
  release(c);
out_b:
  release(b);
out_a:
  release(a);
out:
  printf("process(%d) -> %d (freed so far %d)\n", fail_at, rc, freed);
  return rc;
}

int main(void) {
  int total = 0;
  for (int i = 0; i <= 3; i++) total += process(i);
  printf("total=%d freed=%d\n", total, freed);
  return total + freed;
}
