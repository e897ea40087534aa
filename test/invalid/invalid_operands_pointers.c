// expect: 5:14: error: invalid operands
int main(void) {
  int a = 1, b = 2;
  int *p = &a, *q = &b;
  int *r = p + q;
  return *r;
}
