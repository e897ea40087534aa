// expect: 3:12: error: terminat
int main(void) {
  char c = 'a;
  return c;
}
