// expect: 4:11: error: pointer
int main(void) {
  int x = 3;
  int y = &x;
  return y;
}
