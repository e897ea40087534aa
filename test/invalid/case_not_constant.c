// expect: 5:5: error: constant
int main(void) {
  int x = 2, y = 3;
  switch (x) {
    case y: return 1;
  }
  return 0;
}
