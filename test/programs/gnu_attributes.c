/* __attribute__: packed and aligned change layout like gcc -m32; noinline/always_inline/unused
   are honoured; other attributes are accepted. Layout is probed with sizeof, offsetof and
   memcpy'd raw bytes. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct __attribute__((packed)) P1 {
  char c;
  int i;
  short s;
  double d;
};

struct P2 {
  char c;
  long long x;
} __attribute__((packed));

struct A16 {
  char c;
} __attribute__((aligned(16)));

struct M {
  char c;
  int i __attribute__((aligned(8)));
  char t;
  short s __attribute__((packed));
};

struct Outer {
  char c;
  struct P1 p;
  struct A16 a;
};

typedef struct __attribute__((__packed__)) {
  unsigned char tag;
  unsigned len;
} Header;

static int __attribute__((noinline)) add3(int x) { return x + 3; }
static inline __attribute__((always_inline)) int mul2(int x) { return x * 2; }
__attribute__((unused)) static int never_used(void) { return 0; }
static int fmt(const char *s, ...) __attribute__((format(printf, 1, 2)));
static int fmt(const char *s, ...) { return (int)strlen(s); }

int main(void) {
  printf("P1 %d %d %d %d %d\n", (int)sizeof(struct P1), (int)offsetof(struct P1, i),
         (int)offsetof(struct P1, s), (int)offsetof(struct P1, d), (int)_Alignof(struct P1));
  printf("P2 %d %d\n", (int)sizeof(struct P2), (int)offsetof(struct P2, x));
  printf("A16 %d %d\n", (int)sizeof(struct A16), (int)_Alignof(struct A16));
  printf("M %d %d %d %d %d\n", (int)sizeof(struct M), (int)offsetof(struct M, i),
         (int)offsetof(struct M, t), (int)offsetof(struct M, s), (int)_Alignof(struct M));
  printf("Outer %d %d %d\n", (int)sizeof(struct Outer), (int)offsetof(struct Outer, p),
         (int)offsetof(struct Outer, a));
  struct P1 p = {'a', 0x11223344, 0x5566, 2.5};
  unsigned char raw[sizeof p];
  memcpy(raw, &p, sizeof p);
  for (unsigned k = 0; k < 7; k++) printf("%02x", raw[k]);
  printf("\n");
  p.i += 5;
  p.s--;
  printf("%x %x %g\n", p.i, p.s, p.d * 2);
  Header h = {7, 1000};
  memcpy(raw, &h, sizeof h);
  printf("Header %d %02x%02x%02x%02x%02x\n", (int)sizeof h, raw[0], raw[1], raw[2], raw[3], raw[4]);
  struct A16 arr[3];
  printf("arr %d %d\n", (int)sizeof arr, (int)((char *)&arr[1] - (char *)&arr[0]));
  int __attribute__((unused)) spare = 1;
  printf("%d %d %d\n", add3(4), mul2(21), fmt("abc"));
  return 0;
}
