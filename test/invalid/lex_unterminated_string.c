// expect: 3:19: error: terminat
int main(void) {
  const char *s = "abc;
  return 0;
}
