#include <stdio.h>
#include <stdlib.h>

typedef struct T { int key; int count; struct T *l, *r; } T;

static T *insert(T *t, int k) {
  if (!t) {
    t = malloc(sizeof *t);
    t->key = k; t->count = 1; t->l = t->r = NULL;
    return t;
  }
  if (k < t->key) t->l = insert(t->l, k);
  else if (k > t->key) t->r = insert(t->r, k);
  else t->count++;
  return t;
}

static int height(const T *t) {
  if (!t) return 0;
  int a = height(t->l), b = height(t->r);
  return 1 + (a > b ? a : b);
}

static int size(const T *t) { return t ? 1 + size(t->l) + size(t->r) : 0; }

static void inorder(const T *t, int *out, int *n) {
  if (!t) return;
  inorder(t->l, out, n);
  out[(*n)++] = t->key;
  inorder(t->r, out, n);
}

static T *remove_min(T *t, T **min) {
  if (!t->l) { *min = t; return t->r; }
  t->l = remove_min(t->l, min);
  return t;
}

static T *delete(T *t, int k) {
  if (!t) return NULL;
  if (k < t->key) t->l = delete(t->l, k);
  else if (k > t->key) t->r = delete(t->r, k);
  else {
    T *res;
    if (!t->l) res = t->r;
    else if (!t->r) res = t->l;
    else {
      T *m;
      t->r = remove_min(t->r, &m);
      m->l = t->l;
      m->r = t->r;
      res = m;
    }
    free(t);
    return res;
  }
  return t;
}

static void destroy(T *t) {
  if (!t) return;
  destroy(t->l);
  destroy(t->r);
  free(t);
}

int main(void) {
  T *root = NULL;
  unsigned s = 2024;
  for (int i = 0; i < 2000; i++) {
    s = s * 1664525u + 1013904223u;
    root = insert(root, (int)(s >> 20));
  }
  printf("size=%d height=%d\n", size(root), height(root));
  for (int k = 0; k < 4096; k += 3) root = delete(root, k);
  int *keys = malloc(4096 * sizeof(int)), n = 0;
  inorder(root, keys, &n);
  int ok = 1;
  for (int i = 1; i < n; i++) ok &= keys[i - 1] < keys[i];
  printf("after delete size=%d sorted=%d first=%d last=%d\n", n, ok, keys[0], keys[n - 1]);
  free(keys);
  destroy(root);
  return n & 0xff;
}
