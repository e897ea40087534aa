// expect: 4:10: error: not a function
int main(void) {
  int value = 3;
  return value(2);
}
