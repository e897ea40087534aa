// expect: 4:3: error: pointer
int main(void) {
  int x = 3;
  *x = 4;
  return x;
}
