// expect: 4:10: error: undeclared
int main(void) {
  int total = 3;
  return totl + 1;
}
