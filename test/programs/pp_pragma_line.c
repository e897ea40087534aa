// _Pragma, #line (with __LINE__/__FILE__ following it), #pragma push_macro/pop_macro and
// more than 100,000 macro expansions, against gcc.
#include <stdio.h>
#include <string.h>

#define X 1
#pragma push_macro("X")
#undef X
#define X 2
int inner = X;
#pragma pop_macro("X")
int outer = X;

#pragma push_macro("Y") /* Y is not defined: pop_macro undefines it again */
#define Y 7
int with_y = Y;
#pragma pop_macro("Y")
#ifdef Y
int y_defined = 1;
#else
int y_defined = 0;
#endif

#define F(a) ((a) * 10)
#pragma push_macro("F")
#undef F
#define F(a) ((a) + 10)
int f_inner = F(3);
_Pragma("pop_macro(\"F\")")
int f_outer = F(3);

#define DO_PRAGMA(x) _Pragma(#x)
#define SAVE(name) DO_PRAGMA(push_macro(#name))
#define RESTORE(name) DO_PRAGMA(pop_macro(#name))
#define Z 100
SAVE(Z)
#undef Z
#define Z 200
int z_inner = Z;
RESTORE(Z)
int z_outer = Z;

_Pragma("GCC diagnostic push") _Pragma("once") int after_pragmas = 5;

int line_before = __LINE__;
#line 1000
int line_after = __LINE__;
#line 2000 "renamed.c"
static const char *file_after = __FILE__;
int line_renamed = __LINE__;
#define LINE_OF_USE __LINE__
int line_macro = LINE_OF_USE;
# 3000 "marker.c"
static const char *file_marker = __FILE__;
int line_marker = __LINE__;
#define NUM 4000
#line NUM
int line_expanded = __LINE__;

/* 4^7 = 16,384 elements through 8 macro layers each: more than 136,000 expansions. */
#define L8(x) (x)
#define L7(x) L8(x)
#define L6(x) L7(x)
#define L5(x) L6(x)
#define L4(x) L5(x)
#define L3(x) L4(x)
#define L2(x) L3(x)
#define L1(x) L2(x)
#define T0(x) L1(x)
#define T1(x) T0(x), T0(x + 1), T0(x + 2), T0(x + 3)
#define T2(x) T1(x), T1(x + 1), T1(x + 2), T1(x + 3)
#define T3(x) T2(x), T2(x + 1), T2(x + 2), T2(x + 3)
#define T4(x) T3(x), T3(x + 1), T3(x + 2), T3(x + 3)
#define T5(x) T4(x), T4(x + 1), T4(x + 2), T4(x + 3)
#define T6(x) T5(x), T5(x + 1), T5(x + 2), T5(x + 3)
#define T7(x) T6(x), T6(x + 1), T6(x + 2), T6(x + 3)
static const int table[] = {T7(1)};

static int sum(void) {
  int s = 0;
  for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) s = s * 31 + table[i];
  return s + (int)(sizeof table / sizeof table[0]);
}

int main(void) {
  printf("%d %d %d %d %d %d\n", inner, outer, with_y, y_defined, f_inner, f_outer);
  printf("%d %d %d\n", z_inner, z_outer, after_pragmas);
  printf("%d %d %s %d %d\n", line_before, line_after, file_after, line_renamed, line_macro);
  printf("%s %d %d\n", file_marker, line_marker, line_expanded);
  printf("%s %d\n", __FILE__, __LINE__);
  printf("%d\n", sum());
  return 0;
}
