// expect: 6:35: error: non-static initialization of a flexible array member
// expect: 7:19: error: initialization of flexible array member in a nested context
// expect: 8:24: error: initialization of flexible array member in a nested context
struct F { int n; int a[]; };
struct W { struct F f; int z; };
int main(void) { struct F l = {1, {2}}; return l.a[0]; }
struct W w = {{1, {2}}, 3};
struct F arr[2] = {{1, {2}}};
