// expect: 3:11: error: expected expression
int main(void) {
  int x = ;
  return x;
}
