/* A fill loop handed a NULL buffer (an allocation that was never made): the store in the loop
 * faults at its first iteration (kplug checks the pointer once, before the loop). */
#include <stdlib.h>

static void fill(int *out, int n, int v) {
  for (int i = 0; i < n; i++) out[i] = v + i;
}

static int *buffers[4];

int main(void) {
  volatile int missing = 1; /* buffers[1] was never allocated */
  buffers[0] = malloc(16 * sizeof(int));
  fill(buffers[0], 16, 1);
  fill(buffers[missing], 16, 2);
  return buffers[0][3] + buffers[missing][3];
}
