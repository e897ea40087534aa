// expect: 9:25: error: alignment specified for typedef 't'
// expect: 10:17: error: '_Alignas' specifiers cannot reduce alignment of 'x'
// expect: 11:1: error: requested alignment '3' is not a positive power of 2
// expect: 12:24: error: alignment specified for parameter 'p'
// expect: 13:28: error: alignment specified for bit-field 'b'
// expect: 13:51: error: '_Alignas' specifiers cannot reduce alignment of 'c'
// expect: 14:1: error: requested alignment '536870912' exceeds maximum 268435456
// expect: 15:17: error: alignment specified for function 'g'
typedef _Alignas(8) int t;
_Alignas(2) int x;
_Alignas(3) int y;
void f(_Alignas(8) int p);
struct S { _Alignas(8) int b : 3; _Alignas(1) int c; };
_Alignas(1 << 29) char big;
_Alignas(8) int g(void);
int main(void) { return 0; }
