// expect: 5:10: error: incompatible
struct Pair { int a, b; };
int first(void) {
  struct Pair p = {1, 2};
  return p;
}
int main(void) { return first(); }
