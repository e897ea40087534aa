// expect: 3:11: error: suffix
int main(void) {
  int x = 123abc;
  return x;
}
