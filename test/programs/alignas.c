// C11 _Alignas on globals, static and automatic locals (an over-aligned frame is aligned at
// run time and the stack pointer restored on return) and struct members; <stdalign.h>.
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>

int _Alignas(512) g1;
int _Alignas(512) g2 = 5;
char g3;
_Alignas(double) char g4[3];
alignas(64) static short g5[5] = {1, 2, 3};

struct A { char c; _Alignas(16) char d; int e; };
struct B { _Alignas(double) char c; };
struct C { char c; alignas(32) int v[3]; char tail; };

static unsigned misalign(const void *p, unsigned a) { return (unsigned)(uintptr_t)p % a; }

// Recursion with an over-aligned local: every frame is aligned, and the stack pointer comes
// back to where it was (100000 calls would exhaust the stack otherwise).
static int depth(int n) {
  _Alignas(256) char buf[3];
  buf[0] = (char)n;
  if (misalign(buf, 256) != 0) return -1000000;
  return n == 0 ? 0 : buf[0] - n + 1 + depth(n - 1);
}

static int leaf(int i) {
  alignas(4096) int x = i;
  int plain = i * 2;
  return (int)misalign(&x, 4096) + x + plain - 3 * i;
}

int main(void) {
  printf("%d %d %d %d\n", (int)sizeof(struct A), (int)alignof(struct A), (int)sizeof(struct B),
         (int)alignof(struct B));
  printf("%d %d %d\n", (int)sizeof(struct C), (int)alignof(struct C),
         (int)__builtin_offsetof(struct C, v));
  printf("%u %u %u %u\n", misalign(&g1, 512), misalign(&g2, 512), misalign(g4, 8),
         misalign(g5, 64));
  printf("%d %d %d\n", g2, g5[2], (int)_Alignof(g1));
  _Alignas(32) char x = 1, y = 2;
  _Alignas(long long) char z;
  _Alignas(0) int zero = 0;
  static _Alignas(128) char s[2];
  printf("%u %u %u %u\n", misalign(&x, 32), misalign(&y, 32), misalign(&z, 8), misalign(s, 128));
  printf("%d %d %d %d %d\n", (int)_Alignof(x), (int)_Alignof z, (int)_Alignof(s),
         (int)_Alignof(zero), x + y);
  struct C c = {1, {2, 3, 4}, 5};
  printf("%u %d %d\n", misalign(c.v, 32), c.v[2], c.tail);
  printf("%d\n", depth(50));
  int sum = 0;
  for (int i = 0; i < 100000; i++) sum += leaf(i);
  printf("%d %d %d\n", sum, __alignas_is_defined, __alignof_is_defined);
  return zero;
}
