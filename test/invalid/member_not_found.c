// expect: 5:17: error: no member
struct Point { int x, y; };
int main(void) {
  struct Point p = {1, 2};
  return p.x + p.z;
}
