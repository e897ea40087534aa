// expect: 3:8: error: void
int main(void) {
  void nothing;
  return 0;
}
