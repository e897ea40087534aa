// expect: 2:20: error: variadic
int sum_all(int n, ...) {
  return n;
}
int main(void) { return sum_all(1, 2); }
