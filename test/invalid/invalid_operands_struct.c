// expect: 5:12: error: invalid operands
struct S { int v; };
int main(void) {
  struct S s = {1};
  return s + 1;
}
