#include <stdio.h>
#include <stdlib.h>

typedef struct A { int key, h; struct A *l, *r; } A;

static int h(A *n) { return n ? n->h : 0; }
static int mx(int a, int b) { return a > b ? a : b; }
static void fix(A *n) { n->h = 1 + mx(h(n->l), h(n->r)); }

static A *rot_r(A *y) { A *x = y->l; y->l = x->r; x->r = y; fix(y); fix(x); return x; }
static A *rot_l(A *x) { A *y = x->r; x->r = y->l; y->l = x; fix(x); fix(y); return y; }

static int rotations;

static A *balance(A *n) {
  fix(n);
  int bf = h(n->l) - h(n->r);
  if (bf > 1) {
    if (h(n->l->l) < h(n->l->r)) { n->l = rot_l(n->l); rotations++; }
    rotations++;
    return rot_r(n);
  }
  if (bf < -1) {
    if (h(n->r->r) < h(n->r->l)) { n->r = rot_r(n->r); rotations++; }
    rotations++;
    return rot_l(n);
  }
  return n;
}

static A *insert(A *n, int k) {
  if (!n) {
    n = malloc(sizeof *n);
    n->key = k; n->h = 1; n->l = n->r = NULL;
    return n;
  }
  if (k < n->key) n->l = insert(n->l, k);
  else if (k > n->key) n->r = insert(n->r, k);
  else return n;
  return balance(n);
}

static int check(A *n, int lo, int hi) {
  if (!n) return 1;
  if (n->key <= lo || n->key >= hi) return 0;
  int bf = h(n->l) - h(n->r);
  if (bf < -1 || bf > 1) return 0;
  return check(n->l, lo, n->key) && check(n->r, n->key, hi);
}

static void destroy(A *n) { if (n) { destroy(n->l); destroy(n->r); free(n); } }

int main(void) {
  A *root = NULL;
  for (int i = 1; i <= 4095; i++) root = insert(root, i); /* sorted input: worst case for plain BST */
  printf("sorted: height=%d valid=%d rotations=%d root=%d\n", h(root), check(root, 0, 1 << 30), rotations, root->key);
  destroy(root);
  root = NULL;
  rotations = 0;
  unsigned s = 9;
  for (int i = 0; i < 3000; i++) {
    s = s * 1664525u + 1013904223u;
    root = insert(root, (int)(s >> 12) + 1);
  }
  printf("random: height=%d valid=%d rotations=%d\n", h(root), check(root, 0, 1 << 30), rotations);
  int r = h(root);
  destroy(root);
  return r;
}
