// C11 6.7p3: a typedef may be defined again with the same type, at file and block scope.
#include <stdio.h>
typedef int t; typedef int t;
typedef struct S { int a; } S; typedef struct S S;
typedef int a3[3]; typedef int a3[3];
typedef int (*fp)(int); typedef int (*fp)(int);
int main(void) { typedef long u; typedef long u; t x = 1; S s; s.a = 2; a3 q = {1,2,3}; printf("%d %d %d\n", x, s.a, (int)sizeof q); return 0; }
