#include <stdio.h>
#include <stddef.h>

/* Struct layout on wasm32/ILP32 with 8-byte aligned double and long long. */
struct A { char c; int i; char d; };
struct B { char c; double d; };
struct C { char c; long long ll; short s; };
struct D { short s; char c[3]; };
struct E { char c; struct B b; };
struct F { int i; char c; };
struct G { struct F f; char c; };
struct H { float f; char c; double d; int i; };
struct I { char a; char b; };
struct J { void *p; char c; };
union U { char c; double d; int i[3]; };
struct K { char c; union U u; };
struct L { char c; int arr[3]; short s; };

#define OFF(type, field) ((int)((char *)&((type *)buf)->field - buf))
#define SHOW(type) printf("%-9s size=%2d\n", #type, (int)sizeof(type))

static char buf[256];

int main(void) {
  SHOW(struct A); SHOW(struct B); SHOW(struct C); SHOW(struct D); SHOW(struct E);
  SHOW(struct F); SHOW(struct G); SHOW(struct H); SHOW(struct I); SHOW(struct J);
  SHOW(union U); SHOW(struct K); SHOW(struct L);
  printf("A: c=%d i=%d d=%d\n", OFF(struct A, c), OFF(struct A, i), OFF(struct A, d));
  printf("B: d=%d\n", OFF(struct B, d));
  printf("C: ll=%d s=%d\n", OFF(struct C, ll), OFF(struct C, s));
  printf("D: c=%d\n", OFF(struct D, c));
  printf("E: b=%d b.d=%d\n", OFF(struct E, b), OFF(struct E, b.d));
  printf("G: c=%d\n", OFF(struct G, c));
  printf("H: c=%d d=%d i=%d\n", OFF(struct H, c), OFF(struct H, d), OFF(struct H, i));
  printf("K: u=%d\n", OFF(struct K, u));
  printf("L: arr=%d arr[2]=%d s=%d\n", OFF(struct L, arr), OFF(struct L, arr[2]), OFF(struct L, s));
  printf("offsetof: %d %d %d\n", (int)offsetof(struct C, s), (int)offsetof(struct H, i), (int)offsetof(struct L, s));
  /* pointer-arithmetic offsets on a real object */
  struct H h;
  printf("h.d - h = %d\n", (int)((char *)&h.d - (char *)&h));
  struct C arr[3];
  printf("stride=%d\n", (int)((char *)&arr[1] - (char *)&arr[0]));
  return (int)sizeof(struct H);
}
