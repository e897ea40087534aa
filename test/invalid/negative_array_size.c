// expect: 3:7: error: negative
int main(void) {
  int buf[-4];
  return 0;
}
