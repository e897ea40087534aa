/* A small getter (inlined by kplug) dereferences a NULL struct pointer that a lookup returned
 * for a missing key. */
#include <stddef.h>
#include <string.h>

struct entry {
  const char *key;
  int value;
};

static struct entry table[] = {{"one", 1}, {"two", 2}, {"three", 3}};

static struct entry *find(const char *key) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (strcmp(table[i].key, key) == 0) return &table[i];
  }
  return NULL;
}

static int value_of(const struct entry *e) { return e->value; }

int main(void) {
  int sum = value_of(find("one")) + value_of(find("three"));
  sum += value_of(find("four"));
  return sum;
}
