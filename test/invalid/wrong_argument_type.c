// expect: 5:15: error: incompatible
struct Pt { int x, y; };
static int getx(struct Pt p) { return p.x; }
int main(void) {
  return getx(42);
}
