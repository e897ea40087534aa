// expect: 5:3: error: ';'
int main(void) {
  int x = 1;
  int y = 2
  return x + y;
}
