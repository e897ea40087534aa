// expect: 7:40: error: range designator with a side-effecting initializer is not supported
// expect: 8:27: error: empty index range in initializer
// expect: 9:57: error: range initializer too large
// gcc evaluates a range's value once; kplug would copy it per element, so one with side effects
// is refused. An empty range is an error in gcc too; a range of more initialized data than a
// module may hold is refused before it is built.
int h(int i) { int a[3] = {[0 ... 2] = i++}; return a[1]; }
int e(void) { int a[3] = {[2 ... 1] = 1}; return a[0]; }
static char big[200 << 20] = {[0 ... (200 << 20) - 1] = 1};
