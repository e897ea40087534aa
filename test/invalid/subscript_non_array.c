// expect: 4:11: error: subscript
int main(void) {
  int x = 5;
  return x[2];
}
