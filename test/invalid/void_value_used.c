// expect: 4:11: error: void
static void nothing(void) {}
int main(void) {
  int x = nothing();
  return x;
}
