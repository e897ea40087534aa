// expect: 6:3: error: end of input
int main(void) {
  int x = 0;
  while (x < 10) {
    x++;
  }
