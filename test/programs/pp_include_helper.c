#include <stdio.h>
#include "helper.h"

int main(void) {
  Tally t = {0, 0};
  for (int i = 1; i <= 10; i++) tally_add(&t, HELPER_SQUARE(i));
  printf("count=%d total=%d scaled=%d version=%d\n", t.count, t.total, helper_scale(t.total), HELPER_VERSION);
  return t.total % 256;
}
