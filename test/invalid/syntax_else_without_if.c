// expect: 4:3: error: else
int main(void) {
  int x = 1;
  else x = 2;
  return x;
}
