// expect: 3:13: error: @
int main(void) {
  int x = 5 @ 3;
  return x;
}
