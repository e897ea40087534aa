// expect: 4:3: error: nowhere
int main(void) {
  int x = 1;
  goto nowhere;
  return x;
}
