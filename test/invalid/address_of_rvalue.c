// expect: 4:12: error: lvalue
int main(void) {
  int a = 1;
  int *p = &(a + 1);
  return *p;
}
