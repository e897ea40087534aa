// GNU __COUNTER__: 0, 1, 2, ... in the order of expansion, also in #if; unique names from it.
#include <stdio.h>
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define UNIQUE(p) CAT(p, __COUNTER__)
int UNIQUE(v) = 1, UNIQUE(v) = 2;
int main(void) { printf("%d %d %d %d\n", __COUNTER__, __COUNTER__, v0 + v1, CAT(v, 1));
#ifdef __COUNTER__
 puts("def");
#endif
#if __COUNTER__ == 4
 puts("four");
#endif
 return 0; }
