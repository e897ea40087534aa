/* strlen handed the NULL that ends a table of names: glibc's strlen dies with SIGSEGV;
 * kplug's built-in faults with kind null-pointer. */
#include <stdio.h>
#include <string.h>

static const char *names[] = {"alpha", "beta", "gamma", NULL};

int main(void) {
  size_t total = 0;
  for (int i = 0; i <= 3; i++) total += strlen(names[i]);
  printf("%zu\n", total);
  return (int)total;
}
