// expect: 4:3: error: variable length array
int main(void) {
  int n = 4;
  int values[n];
  values[0] = 1;
  return values[0];
}
