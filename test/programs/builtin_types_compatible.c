// __builtin_types_compatible_p: gcc's compatibility, where int and long are distinct although
// both are 32-bit on i386 and top-level qualifiers are ignored.
#include <stdio.h>

#define T(a, b) printf("%d ", __builtin_types_compatible_p(a, b))

enum E { A, B };
enum N { M = -1 };
struct S { int a; };
typedef struct S S2;
typedef int I;

int main(void) {
  T(int, int); T(double, double); T(int, long); T(long, float); T(int *, int *);
  T(short *, int *); T(int **, int *); T(const int, int); T(unsigned, int); T(signed, int);
  T(struct {int a;}, struct {int a;}); T(struct S, S2); T(int, I);
  printf("\n");
  T(char, signed char); T(char, unsigned char); T(signed char, signed char);
  T(long long, long); T(float, double); T(short, unsigned short); T(_Bool, unsigned char);
  printf("\n");
  T(enum E, unsigned); T(enum E, int); T(enum N, int); T(enum E, enum N); T(enum E, enum E);
  printf("\n");
  T(volatile int, int); T(const int *, int *); T(int *const, int *); T(char *, const char *);
  T(int **, int *const *); T(const int[3], int[3]);
  printf("\n");
  T(int[3], int[]); T(int[3], int[4]); T(int[2][3], int[][3]); T(int[2][3], int[2][4]);
  printf("\n");
  T(int (*)(void), int (*)(void)); T(void (*)(int), void (*)(int));
  T(void (*)(int, double), void (*)(int, double)); T(int (*)(float, double), int);
  T(int (*)(float, double), int (*)(float)); T(int (*)(float, double), int (*)(float, double, int));
  T(int (*)(), int (*)(int)); T(int (*)(void), int (*)()); T(int (*)(int, ...), int (*)(int));
  T(long (*)(void), int (*)(void));
  printf("\n");
  struct { int a; int b; } x;
  int n = 0;
  T(typeof(x.a), typeof(x.b)); T(typeof(x), typeof(x));
  int side = __builtin_types_compatible_p(typeof(n++), int);  // the operand is not evaluated
  printf("%d %d\n", side, n);
  static int table[__builtin_types_compatible_p(I, int) ? 3 : 1];  // an integer constant
  printf("%d %d\n", (int)sizeof table, _Generic((signed char)1, char: 1, signed char: 2, default: 3));
  return 0;
}
