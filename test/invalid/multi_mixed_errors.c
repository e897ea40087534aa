// expect: 7:7: error: redefinition
// expect: 11:10: error: too many arguments
// expect: 15:11: error: no member
static int add(int a, int b) { return a + b; }
int one(void) {
  int k = 1;
  int k = 2;
  return k;
}
int two(void) {
  return add(1, 2, 3);
}
struct P { int x; };
int three(struct P p) {
  return p.y;
}
int main(void) { return 0; }
