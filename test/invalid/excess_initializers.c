// expect: 3:24: warning: excess elements
int main(void) {
  int a[3] = {1, 2, 3, 4};
  return a[0];
}
