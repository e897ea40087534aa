// expect: 3:11: error: octal
int main(void) {
  int x = 0129;
  return x;
}
