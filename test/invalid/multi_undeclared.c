// expect: 5:10: error: undeclared
// expect: 8:10: error: undeclared
// expect: 11:14: error: undeclared
int first(void) {
  return alpha;
}
int second(void) {
  return beta + 1;
}
int main(void) {
  return 2 * gamma_value + first() + second();
}
