// expect: 3:10: error: undefined_helper
int main(void) {
  return undefined_helper(1);
}
