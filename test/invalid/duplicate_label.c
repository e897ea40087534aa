// expect: 6:1: error: label
int main(void) {
  int x = 0;
again:
  x++;
again:
  return x;
}
