// expect: 4:9: error: lvalue
int main(void) {
  int a = 1, b = 2;
  a + b = 5;
  return a;
}
