// expect: 4:10: error: too few arguments
static int add(int a, int b) { return a + b; }
int main(void) {
  return add(1);
}
