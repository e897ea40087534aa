// expect: 6:5: error: duplicate case
int main(void) {
  int x = 2;
  switch (x) {
    case 1: return 10;
    case 1: return 20;
    default: return 0;
  }
}
