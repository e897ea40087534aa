// expect: 7:7: error: incompatible
struct A { int x; };
struct B { int x; };
int main(void) {
  struct A a = {1};
  struct B b = {2};
  a = b;
  return a.x;
}
