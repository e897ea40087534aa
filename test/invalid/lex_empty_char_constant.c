// expect: 3:12: error: empty character constant
int main(void) {
  char c = '';
  return c;
}
