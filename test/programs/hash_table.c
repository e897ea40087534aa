#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Entry { char *key; int value; struct Entry *next; } Entry;
typedef struct { Entry **buckets; int nbuckets; int size; } Map;

static unsigned hash(const char *s) {
  unsigned h = 5381;
  while (*s) h = h * 33 ^ (unsigned char)*s++;
  return h;
}

static char *dup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  memcpy(d, s, n);
  return d;
}

static void grow(Map *m);

static int *map_get_or_insert(Map *m, const char *key) {
  unsigned b = hash(key) % m->nbuckets;
  for (Entry *e = m->buckets[b]; e; e = e->next)
    if (strcmp(e->key, key) == 0) return &e->value;
  if (m->size >= m->nbuckets * 2) {
    grow(m);
    b = hash(key) % m->nbuckets;
  }
  Entry *e = malloc(sizeof *e);
  e->key = dup(key);
  e->value = 0;
  e->next = m->buckets[b];
  m->buckets[b] = e;
  m->size++;
  return &e->value;
}

static void grow(Map *m) {
  int nb = m->nbuckets * 2;
  Entry **nbk = calloc(nb, sizeof(Entry *));
  for (int i = 0; i < m->nbuckets; i++) {
    Entry *e = m->buckets[i];
    while (e) {
      Entry *nx = e->next;
      unsigned b = hash(e->key) % nb;
      e->next = nbk[b];
      nbk[b] = e;
      e = nx;
    }
  }
  free(m->buckets);
  m->buckets = nbk;
  m->nbuckets = nb;
}

int main(void) {
  const char *text =
    "the kernel plugin runs in the kernel and the plugin is compiled on the fly "
    "a runtime holds plugins and the runtime has a memory pool and a fuel budget "
    "plugins call the kernel and the kernel calls plugins through the gate";
  Map m = {calloc(4, sizeof(Entry *)), 4, 0};
  char word[32];
  const char *p = text;
  int words = 0;
  while (*p) {
    while (*p == ' ') p++;
    int n = 0;
    while (*p && *p != ' ' && n < 31) word[n++] = *p++;
    word[n] = 0;
    if (n) { (*map_get_or_insert(&m, word))++; words++; }
  }
  printf("words=%d unique=%d buckets=%d\n", words, m.size, m.nbuckets);
  /* report counts in a deterministic order: sort keys */
  Entry **all = malloc(m.size * sizeof(Entry *));
  int k = 0;
  for (int i = 0; i < m.nbuckets; i++)
    for (Entry *e = m.buckets[i]; e; e = e->next) all[k++] = e;
  for (int i = 1; i < k; i++) {
    Entry *v = all[i];
    int j = i;
    while (j > 0 && (all[j - 1]->value < v->value || (all[j - 1]->value == v->value && strcmp(all[j - 1]->key, v->key) > 0))) {
      all[j] = all[j - 1];
      j--;
    }
    all[j] = v;
  }
  for (int i = 0; i < k && i < 10; i++) printf("%-8s %d\n", all[i]->key, all[i]->value);
  int top = all[0]->value;
  for (int i = 0; i < k; i++) { free(all[i]->key); free(all[i]); }
  free(all);
  free(m.buckets);
  return top;
}
