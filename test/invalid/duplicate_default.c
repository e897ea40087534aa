// expect: 6:5: error: default
int main(void) {
  int x = 2;
  switch (x) {
    default: x++;
    default: x--;
  }
  return x;
}
