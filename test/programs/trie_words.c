#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Trie { struct Trie *kids[26]; int count; int terminal; } Trie;

static Trie *node(void) { return calloc(1, sizeof(Trie)); }

static void insert(Trie *t, const char *w) {
  for (; *w; w++) {
    int c = *w - 'a';
    if (!t->kids[c]) t->kids[c] = node();
    t = t->kids[c];
    t->count++;
  }
  t->terminal++;
}

static int prefix_count(const Trie *t, const char *p) {
  for (; *p; p++) {
    t = t->kids[*p - 'a'];
    if (!t) return 0;
  }
  return t->count;
}

static void dump(const Trie *t, char *buf, int depth, int *n) {
  if (t->terminal) { buf[depth] = 0; printf("%s(%d) ", buf, t->terminal); (*n)++; }
  for (int c = 0; c < 26; c++)
    if (t->kids[c]) { buf[depth] = (char)('a' + c); dump(t->kids[c], buf, depth + 1, n); }
}

static int free_trie(Trie *t) {
  int n = 1;
  for (int c = 0; c < 26; c++) if (t->kids[c]) n += free_trie(t->kids[c]);
  free(t);
  return n;
}

int main(void) {
  const char *words[] = {"plug", "plugin", "plugins", "play", "kernel", "keep", "kern", "plugin", "runtime",
                         "run", "rung", "wasm", "was", "plug"};
  Trie *root = node();
  for (int i = 0; i < 14; i++) insert(root, words[i]);
  const char *prefixes[] = {"p", "pl", "plug", "ke", "r", "wa", "x", "plugins"};
  for (int i = 0; i < 8; i++) printf("prefix %s: %d\n", prefixes[i], prefix_count(root, prefixes[i]));
  char buf[32];
  int n = 0;
  dump(root, buf, 0, &n);
  printf("\nunique=%d\n", n);
  int nodes = free_trie(root);
  printf("nodes=%d\n", nodes);
  return nodes;
}
