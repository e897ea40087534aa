// Identifiers with characters beyond ASCII (C11 6.4.2.1, gcc >= 10): spelled in UTF-8 or as
// universal character names, and the same identifier either way.
#include <stdio.h>
#define STR(x) #x
#define CAT(a, b) a##b
int π = 3;
static int \u00e9t\u00E9 = 7;
struct ρ { int α; } r = { 4 };
int あβ0¾(int x) { return x * 2; }
int main(void) {
  int $$$ = 5, 日本語 = 6, x\U0001F600 = 8, 😀y = 1;
  printf("%d %d %d\n", \u03C0, π, \U000003c0);
  printf("%d %d %d\n", été, \u00e9té, r.\u03b1);
  printf("%d %d %d %d %d\n", あβ0¾(2), $$$, 日本語, x😀, \U0001F600y);
  printf("%s %s %s\n", STR(π), STR(été), STR(a\u00e9));
  int CAT(ab, γ) = 9;
  printf("%d\n", abγ);
  return 0;
}
